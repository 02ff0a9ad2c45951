#!/usr/bin/env node
// Independent OAuth 2.0 / OpenID Connect peer for Tokenkeeper integration tests.
//
// Wraps `oidc-provider` (panva/node-oidc-provider, an OpenID-certified
// implementation) so that Tokenkeeper's token-endpoint client is exercised
// against a third-party, standards-compliant authorization server rather than
// a mock written by us.
//
// Usage:
//   node server.mjs [--port N] [--out FILE] [--access-ttl SECONDS]
//
//   --port N            TCP port on 127.0.0.1 (0 = any free port; default 0)
//   --out FILE          once listening, write a JSON description to FILE
//   --access-ttl SECS   access token lifetime in seconds (default 3)
//
// The server binds to 127.0.0.1 only. It prints exactly one line to stdout
// when ready ("oidc-peer listening on http://127.0.0.1:PORT") and never
// prints token or secret values. It exits on SIGTERM / SIGINT.

import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------
// Command line

function die(message) {
  process.stderr.write(`oidc-peer: ${message}\n`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      out: { type: 'string' },
      'access-ttl': { type: 'string', default: '3' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (err) {
  die(err.message);
}

const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) die(`invalid --port: ${args.port}`);
const accessTtl = Number(args['access-ttl']);
if (!Number.isInteger(accessTtl) || accessTtl < 1) die(`invalid --access-ttl: ${args['access-ttl']}`);

// ---------------------------------------------------------------------------
// Fixture constants (test-only credentials, not secrets of any real system)

const ACCOUNT_ID = 'alice';
const PUBLIC_CLIENT_ID = 'tk-public';
const CONFIDENTIAL_CLIENT_ID = 'tk-conf';
const CONFIDENTIAL_CLIENT_SECRET = 'tk-conf-secret-4e7a';
const REFRESH_TOKEN_TTL = 24 * 60 * 60; // 1 day
const REFRESH_TOKEN_SCOPE = 'openid offline_access';

const clients = [
  {
    client_id: 'tk-cc',
    client_secret: 'tk-cc-secret-8c1d',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'api:read api:write',
  },
  {
    client_id: 'tk-cc-post',
    client_secret: 'tk-cc-post-secret-19ab',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_post',
    scope: 'api:read api:write',
  },
  {
    client_id: PUBLIC_CLIENT_ID,
    application_type: 'native',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/cb'],
    token_endpoint_auth_method: 'none',
    scope: REFRESH_TOKEN_SCOPE,
  },
  {
    // A confidential client with refresh tokens: the refresh_token grant
    // needs its client authentication too.
    client_id: CONFIDENTIAL_CLIENT_ID,
    client_secret: CONFIDENTIAL_CLIENT_SECRET,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/cb'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: REFRESH_TOKEN_SCOPE,
  },
];

// ---------------------------------------------------------------------------
// Minimal in-memory adapter. Supplying our own (instead of relying on the
// library default) avoids its "development-only adapter" console warning and
// keeps storage private to this process. It implements everything the
// token endpoint needs, incl. consume() (refresh token rotation) and
// revokeByGrantId() (refresh token reuse detection revokes the whole grant).

const store = new Map(); // key -> { payload, expiresAt }
const grantMembers = new Map(); // grantId -> Set(key)

function readEntry(key) {
  const entry = store.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
    store.delete(key);
    return undefined;
  }
  return entry.payload;
}

class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    store.set(key, {
      payload,
      expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined,
    });
    if (payload.grantId) {
      if (!grantMembers.has(payload.grantId)) grantMembers.set(payload.grantId, new Set());
      grantMembers.get(payload.grantId).add(key);
    }
    if (this.model === 'Session' && payload.uid) store.set(`sessionUid:${payload.uid}`, { payload: id });
    if (payload.userCode) store.set(`userCode:${payload.userCode}`, { payload: id });
  }

  async find(id) {
    return readEntry(this.key(id));
  }

  async findByUid(uid) {
    const id = readEntry(`sessionUid:${uid}`);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = readEntry(`userCode:${userCode}`);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const payload = readEntry(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) ?? []) store.delete(key);
    grantMembers.delete(grantId);
  }
}

// ---------------------------------------------------------------------------
// Provider configuration

function ephemeralJwks() {
  // Fresh signing key per run (ID Tokens are issued on refresh because the
  // refresh token carries the `openid` scope). Supplying it ourselves also
  // avoids the library's "development-only signing keys" warning.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'tk-peer-rs256', use: 'sig', alg: 'RS256' }] };
}

function configuration() {
  return {
    adapter: MemoryAdapter,
    clients,
    jwks: ephemeralJwks(),
    scopes: ['openid', 'offline_access', 'api:read', 'api:write'],
    claims: { openid: ['sub'] },
    cookies: { keys: ['tk-peer-cookie-key-not-secret'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // No resource server is configured, so every access token (client
      // credentials and refresh grant alike) is an opaque token.
      resourceIndicators: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      userinfo: { enabled: false },
    },
    async findAccount(_ctx, sub) {
      if (sub !== ACCOUNT_ID) return undefined;
      return { accountId: sub, async claims() { return { sub }; } };
    },
    // Rotate on every use: each refresh_token grant consumes the presented
    // refresh token and returns a new one. Presenting a consumed one yields
    // invalid_grant ("refresh token already used") and revokes the grant.
    rotateRefreshToken: () => true,
    // Only mint refresh tokens for the public client (and only when asked
    // for offline_access), the library default behaviour.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    // Plain-text error page for browser-facing endpoints (tests never use
    // them, but this avoids the library's default-page console notice).
    async renderError(ctx, out) {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${out.error}: ${out.error_description ?? ''}\n`;
    },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: accessTtl,
      ClientCredentials: accessTtl,
      AuthorizationCode: 60,
      IdToken: 60,
      Interaction: 600,
      Session: 600,
      Grant: REFRESH_TOKEN_TTL,
      RefreshToken: REFRESH_TOKEN_TTL,
    },
  };
}

async function mintRefreshToken(provider, clientId = PUBLIC_CLIENT_ID) {
  // Equivalent of an interactive authorization_code flow for `alice` that
  // granted `openid offline_access` to tk-public, done through the
  // provider's own models so the token is indistinguishable from one issued
  // by the authorization code grant.
  const client = await provider.Client.find(clientId);
  if (!client) throw new Error(`client ${clientId} not found`);

  const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId });
  grant.addOIDCScope(REFRESH_TOKEN_SCOPE);
  const grantId = await grant.save();

  const refreshToken = new provider.RefreshToken({
    accountId: ACCOUNT_ID,
    authTime: Math.floor(Date.now() / 1000),
    client,
    grantId,
    gty: 'authorization_code',
    scope: REFRESH_TOKEN_SCOPE,
  });
  return refreshToken.save();
}

// ---------------------------------------------------------------------------
// Start-up

let handler = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = createServer((req, res) => handler(req, res));

let shuttingDown = false;
function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.on('error', (err) => die(`listen failed: ${err.message}`));

server.listen({ host: HOST, port, exclusive: true }, async () => {
  try {
    const { port: actualPort } = server.address();
    const issuer = `http://${HOST}:${actualPort}`;

    const { default: Provider } = await import('oidc-provider');
    const provider = new Provider(issuer, configuration());
    // Never log errors with request details (they may contain credentials);
    // only the error code goes to stderr, and only for server errors.
    provider.on('server_error', (_ctx, err) => {
      process.stderr.write(`oidc-peer: server_error: ${err?.name ?? 'Error'}\n`);
    });
    // oidc-provider deliberately accepts client_secret_basic and
    // client_secret_post interchangeably for any client registered with
    // either (RFC 6749 2.3.1 lets servers be lenient). To let tests prove
    // that Tokenkeeper really uses the configured style, this peer is
    // stricter: a successful token response for a client whose registered
    // method was not the one actually used is replaced by 401
    // invalid_client. The library still performs all authentication.
    provider.use(async (ctx, next) => {
      await next();
      const client = ctx.oidc?.client;
      if (ctx.path !== '/token' || ctx.status !== 200 || !client) return;
      const usedBasic = /^basic /i.test(ctx.get('authorization'));
      const registered = client.clientAuthMethod;
      if ((registered === 'client_secret_basic' && !usedBasic)
          || (registered === 'client_secret_post' && usedBasic)) {
        ctx.status = 401;
        if (registered === 'client_secret_basic') {
          ctx.set('WWW-Authenticate', `Basic realm="${issuer}", error="invalid_client"`);
        }
        ctx.body = {
          error: 'invalid_client',
          error_description: `client must authenticate using ${registered}`,
        };
      }
    });
    handler = provider.callback();

    const refreshToken = await mintRefreshToken(provider);
    const confidentialRefreshToken = await mintRefreshToken(provider, CONFIDENTIAL_CLIENT_ID);

    const info = {
      issuer,
      tokenEndpoint: `${issuer}/token`,
      port: actualPort,
      accessTtl,
      refreshToken,
      confidentialRefreshToken,
      clients: {
        basic: { clientId: 'tk-cc', clientSecret: 'tk-cc-secret-8c1d', authMethod: 'client_secret_basic' },
        post: { clientId: 'tk-cc-post', clientSecret: 'tk-cc-post-secret-19ab', authMethod: 'client_secret_post' },
        public: { clientId: PUBLIC_CLIENT_ID, authMethod: 'none', scope: REFRESH_TOKEN_SCOPE },
        confidential: {
          clientId: CONFIDENTIAL_CLIENT_ID,
          clientSecret: CONFIDENTIAL_CLIENT_SECRET,
          authMethod: 'client_secret_basic',
          scope: REFRESH_TOKEN_SCOPE,
        },
      },
    };
    if (args.out) {
      // Write atomically so a polling test never reads a partial file.
      const tmp = `${args.out}.tmp-${process.pid}`;
      writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, args.out);
    }
    process.stdout.write(`oidc-peer listening on ${issuer}\n`);
  } catch (err) {
    process.stderr.write(`oidc-peer: start-up failed: ${err?.stack ?? err}\n`);
    process.exit(1);
  }
});
