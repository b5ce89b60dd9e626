// OpenID Connect provider for Portfolj's integration tests.
//
// Started by the Rust test harness as `node tests/oidc/provider.mjs`; it is
// configured through environment variables (see README.md) and prints exactly
// one line, `READY http://127.0.0.1:<port>`, on stdout once it listens.
// Everything else (oidc-provider notices, errors) goes to stderr.
//
// It is a real `oidc-provider` instance with:
//   * one confidential client (client_secret_basic, authorization_code, PKCE S256 required),
//   * an in-memory account store where any login name is a valid account,
//   * a minimal, JS-free login form (no consent step: all requested scopes and
//     claims are granted automatically),
//   * test-only admin endpoints under /test/ to change a user's groups, rotate
//     the signing keys and change the ID-token lifetime at runtime.
//
// Not for production use.

import * as crypto from 'node:crypto';
import * as http from 'node:http';

// oidc-provider prints its notices with console.info, i.e. on stdout. The test
// harness only wants the READY line there, so send all console output to stderr.
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

const { default: Provider, errors } = await import('oidc-provider');
// oidc-provider's own in-memory adapter. Used through a factory so that all
// Provider instances (one per key rotation) share the module-global storage:
// sessions, interactions, grants and codes survive a rotation.
const { default: MemoryAdapter } = await import('oidc-provider/lib/adapters/memory_adapter.js');

// ---------------------------------------------------------------------------
// Configuration from the environment

function env(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function envInt(name, fallback) {
  const raw = env(name, undefined);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`invalid ${name}: ${raw}`);
    process.exit(2);
  }
  return value;
}

// Several URIs may be given, separated by whitespace or commas.
function envList(name, fallback) {
  return env(name, fallback).split(/[\s,]+/).filter(Boolean);
}

const PORT = envInt('OIDC_PORT', 0);
const CLIENT_ID = env('OIDC_CLIENT_ID', 'portfolj');
const CLIENT_SECRET = env('OIDC_CLIENT_SECRET', 'portfolj-secret');
const REDIRECT_URIS = envList('OIDC_REDIRECT_URI', 'http://127.0.0.1:3000/auth/callback');
const POST_LOGOUT_REDIRECT_URIS = envList('OIDC_POST_LOGOUT_REDIRECT_URI', 'http://127.0.0.1:3000/');
let idTokenTtl = envInt('OIDC_ID_TOKEN_TTL', 600);

// Fixed (test-only) cookie signing key. It must stay the same when the
// Provider instance is recreated on key rotation, so that existing sessions and
// interactions stay valid.
const COOKIE_KEYS = ['portfolj-test-oidc-cookie-key-7f3c9a2e61b84d0c'];

// ---------------------------------------------------------------------------
// Accounts: any login name is an account; groups can be changed at runtime.

const groupsByLogin = new Map();

function capitalise(login) {
  return login.charAt(0).toUpperCase() + login.slice(1);
}

function accountFor(login) {
  return {
    accountId: login,
    async claims() {
      return {
        sub: login,
        email: `${login}@example.se`,
        email_verified: true,
        name: capitalise(login),
        preferred_username: login,
        groups: [...(groupsByLogin.get(login) ?? [])],
      };
    },
  };
}

// ---------------------------------------------------------------------------
// Signing keys (RS256), newest first: oidc-provider signs with the first
// matching key, and the JWKS endpoint lists all of them.

let signingKeys = [];

function newSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    ...jwk,
    kid: `k-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`,
    alg: 'RS256',
    use: 'sig',
  };
}

// ---------------------------------------------------------------------------
// The provider

function htmlEscape(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title, body) {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${htmlEscape(title)}</title></head>
<body>
<h1>${htmlEscape(title)}</h1>
${body}
</body></html>
`;
}

function makeProvider(issuer) {
  const configuration = {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: REDIRECT_URIS,
        post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    adapter: (model) => new MemoryAdapter(model),
    jwks: { keys: signingKeys },
    cookies: { keys: COOKIE_KEYS },
    findAccount: async (ctx, sub) => accountFor(sub),
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    // Put the scope-derived claims (email, name, groups) into the ID token
    // even though an access token is issued too.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    ttl: {
      IdToken: () => idTokenTtl,
      AccessToken: 3600,
      AuthorizationCode: 60,
      Interaction: 3600,
      Grant: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          // `form` carries the hidden `xsrf` input; the button posts logout=yes.
          ctx.type = 'html';
          ctx.body = page('Sign out', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = page('Signed out', '<p>You are signed out.</p>');
        },
      },
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    // Grant every requested scope and claim automatically, so there is never a
    // consent prompt.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (!grant || grant.accountId !== session.accountId) {
        grant = new ctx.oidc.provider.Grant({
          clientId: client.clientId,
          accountId: session.accountId,
        });
      }
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      const claims = [...ctx.oidc.requestParamClaims];
      if (claims.length) grant.addOIDCClaims(claims);
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Error', `<pre>${htmlEscape(JSON.stringify(out, null, 2))}</pre>`);
    },
    clientBasedCORS: () => false,
  };

  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (ctx, err) => console.error('oidc server_error:', err));
  return provider;
}

let issuer;
let provider;
let providerCallback;

function installProvider() {
  provider = makeProvider(issuer);
  providerCallback = provider.callback();
}

// ---------------------------------------------------------------------------
// Our own HTTP routes: the login interaction and the test admin endpoints.

function send(res, status, body, contentType = 'text/plain; charset=utf-8') {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', contentType);
  res.end(body);
}

function sendJson(res, status, value) {
  send(res, status, `${JSON.stringify(value)}\n`, 'application/json');
}

async function readBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function loginForm(uid, message) {
  return page('Sign-in', `${message ? `<p class="error">${htmlEscape(message)}</p>\n` : ''}<form autocomplete="off" action="/interaction/${htmlEscape(uid)}" method="post">
  <input type="hidden" name="prompt" value="login">
  <input required type="text" name="login" placeholder="Enter any login" autofocus>
  <input type="password" name="password" placeholder="and any password">
  <button type="submit">Sign-in</button>
</form>`);
}

async function handleInteraction(req, res, uid) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (err) {
    if (err instanceof errors.SessionNotFound) {
      send(res, 400, `interaction not found: ${err.error_description ?? err.message}\n`);
      return;
    }
    throw err;
  }
  if (details.uid !== uid) {
    send(res, 400, 'interaction uid mismatch\n');
    return;
  }
  if (details.prompt.name !== 'login') {
    // Consent is granted automatically (loadExistingGrant), so only the login
    // prompt can get here.
    send(res, 501, `unsupported prompt: ${details.prompt.name}\n`);
    return;
  }

  if (req.method === 'GET') {
    send(res, 200, loginForm(uid), 'text/html; charset=utf-8');
    return;
  }

  const form = new URLSearchParams(await readBody(req));
  const login = (form.get('login') ?? '').trim();
  if (!login) {
    send(res, 400, loginForm(uid, 'login is required'), 'text/html; charset=utf-8');
    return;
  }
  // Any password is accepted.
  await provider.interactionFinished(req, res, {
    login: { accountId: login },
  }, { mergeWithLastSubmission: false });
}

async function handleTest(req, res, path) {
  let m;
  if ((m = path.match(/^\/test\/groups\/([^/]+)$/))) {
    const login = decodeURIComponent(m[1]);
    if (req.method === 'GET') {
      sendJson(res, 200, groupsByLogin.get(login) ?? []);
      return;
    }
    if (req.method !== 'POST' && req.method !== 'PUT') {
      send(res, 405, 'method not allowed\n');
      return;
    }
    let groups;
    try {
      groups = JSON.parse(await readBody(req));
    } catch {
      send(res, 400, 'body must be a JSON array of strings\n');
      return;
    }
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) {
      send(res, 400, 'body must be a JSON array of strings\n');
      return;
    }
    groupsByLogin.set(login, groups);
    send(res, 204);
    return;
  }

  if (path === '/test/rotate-keys') {
    if (req.method !== 'POST') {
      send(res, 405, 'method not allowed\n');
      return;
    }
    const url = new URL(req.url, issuer);
    const keepOld = url.searchParams.get('keep_old') !== 'false';
    const key = newSigningKey();
    signingKeys = keepOld ? [key, ...signingKeys] : [key];
    // oidc-provider cannot change its keystore at runtime: recreate the
    // Provider (same issuer, same cookie keys, same adapter storage, so
    // sessions, grants and codes survive).
    installProvider();
    sendJson(res, 200, { kid: key.kid, kids: signingKeys.map((k) => k.kid) });
    return;
  }

  if ((m = path.match(/^\/test\/id-token-ttl\/(\d+)$/))) {
    if (req.method !== 'POST') {
      send(res, 405, 'method not allowed\n');
      return;
    }
    idTokenTtl = Number(m[1]);
    send(res, 204);
    return;
  }

  send(res, 404, 'not found\n');
}

async function handle(req, res) {
  const path = new URL(req.url, 'http://127.0.0.1').pathname;
  if (!provider) {
    send(res, 503, 'starting\n');
    return;
  }
  if (path.startsWith('/test/')) {
    await handleTest(req, res, path);
    return;
  }
  const m = path.match(/^\/interaction\/([^/]+)$/);
  if (m && (req.method === 'GET' || req.method === 'POST')) {
    await handleInteraction(req, res, m[1]);
    return;
  }
  providerCallback(req, res);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('request failed:', err);
    if (!res.headersSent) send(res, 500, 'internal error\n');
    else res.destroy();
  });
});

signingKeys = [newSigningKey()];

server.listen(PORT, '127.0.0.1', () => {
  const { port } = server.address();
  issuer = `http://127.0.0.1:${port}`;
  installProvider();
  process.stdout.write(`READY ${issuer}\n`);
});

server.on('error', (err) => {
  console.error('server error:', err);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}

// Do not outlive the process that started us (e.g. a test binary that was
// killed before it could stop us). OIDC_EXIT_WITH_PARENT=0 turns this off.
if (env('OIDC_EXIT_WITH_PARENT', '1') !== '0') {
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid) process.exit(0);
  }, 1000).unref();
}
