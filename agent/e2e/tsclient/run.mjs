// Drives the built restorehub-mcp binary with the official TypeScript MCP
// SDKs, as users' clients do: @modelcontextprotocol/sdk (v1, protocol
// 2025-11-25) and @modelcontextprotocol/client (v2: 2025-11-25 through the
// legacy initialize, 2026-07-28 pinned), each over stdio and over streamable
// HTTP with a bearer token. The binary serves its in-process fake (-fake),
// so nothing leaves the machine; what was sent is read from its audit
// records on standard error.
//
//   node run.mjs PATH/TO/restorehub-mcp
//
// Each case: discovery (initialize or server/discover) names the server;
// tools/list carries the annotations; a read call succeeds; wrong
// arguments are an error result and nobody is asked; a destructive call
// declined sends nothing; one accepted is sent once (to the fake).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node run.mjs PATH/TO/restorehub-mcp');
  process.exit(2);
}
const token = 'tsclient-e2e-token-0123456789abcdef';
const serverArgs = ['-fake', '-scopes', 'servers:read,backups:read,backups:restore', '-allow-destructive'];
// A clean environment: -fake refuses to start with a real key in it.
const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp' };

// audit collects the binary's JSON audit records from a stderr stream.
function audit(stream) {
  const records = [];
  createInterface({ input: stream }).on('line', (line) => {
    try {
      const r = JSON.parse(line);
      if (r.tool) records.push(r);
    } catch {
      // the text log lines
    }
  });
  return records;
}

// The audit outcomes of a call that was not sent; any other outcome ("ok",
// or an API error such as "not_found") reached the fake.
const notSent = new Set(['declined', 'asked', 'invalid_arguments', 'refused', 'limited']);
const sent = (records, tool) => records.filter((r) => r.tool === tool && !notSent.has(r.outcome)).length;
const text = (res) => (res.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');

function check(cond, what) {
  if (!cond) throw new Error(what);
}

// waitFor polls cond (audit records arrive on another stream) for up to 5 s.
async function waitFor(cond, what) {
  for (let i = 0; i < 100; i++) {
    if (cond()) return;
    await delay(50);
  }
  throw new Error(`timed out waiting: ${what}`);
}

// The clients: each makes a connected client whose elicitation handler
// answers with answer.action.
const sdks = {
  'sdk-v1': {
    versions: ['2025-11-25'],
    client(answer) {
      const c = new ClientV1({ name: 'tsclient-e2e-v1', version: '1' }, { capabilities: { elicitation: { form: {} } } });
      c.setRequestHandler(ElicitRequestSchema, async (req) => answer.handle(req.params));
      return c;
    },
    stdio: () => new StdioV1({ command: bin, args: serverArgs, env, stderr: 'pipe' }),
    http: (url) => new HttpV1(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  },
  'client-v2': {
    versions: ['2025-11-25', '2026-07-28'],
    client(answer, version) {
      const opts = { capabilities: { elicitation: { form: {} } } };
      if (version === '2026-07-28') opts.versionNegotiation = { mode: { pin: '2026-07-28' } };
      else opts.supportedProtocolVersions = ['2025-11-25'];
      const c = new ClientV2({ name: 'tsclient-e2e-v2', version: '1' }, opts);
      c.setRequestHandler('elicitation/create', async (req) => answer.handle(req.params));
      return c;
    },
    stdio: () => new StdioV2({ command: bin, args: serverArgs, env, stderr: 'pipe' }),
    http: (url) => new HttpV2(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  },
};

// startHTTP runs the binary on streamable HTTP with a bearer token and
// returns its URL, its audit records and a stop function.
async function startHTTP() {
  const child = spawn(bin, [...serverArgs, '-http', '127.0.0.1:0'], {
    env: { ...env, RESTOREHUB_MCP_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const records = [];
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    const timer = setTimeout(() => reject(new Error('the HTTP server never logged its URL')), 30000);
    child.on('exit', (code) => reject(new Error(`the HTTP server exited with ${code}`)));
    lines.on('line', (line) => {
      const m = line.match(/url=(\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
      try {
        const r = JSON.parse(line);
        if (r.tool) records.push(r);
      } catch {
        // the text log lines
      }
    });
  });
  return { url, records, stop: () => child.kill('SIGTERM') };
}

async function runCase(sdk, transportName, version, http) {
  const answer = {
    action: 'decline',
    asked: 0,
    handle(params) {
      this.asked++;
      check(params.message.includes('POST /backups/backup_0001/restore'), `the question does not show the request: ${params.message}`);
      return this.action === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: this.action };
    },
  };
  const client = sdk.client(answer, version);
  let transport;
  let records;
  if (transportName === 'stdio') {
    transport = sdk.stdio();
    records = audit(transport.stderr);
  } else {
    transport = sdk.http(http.url);
    records = http.records;
  }
  await client.connect(transport);
  try {
    const info = client.getServerVersion();
    check(info?.name === 'restorehub-mcp', `serverInfo ${JSON.stringify(info)}`);
    check(typeof info.version === 'string' && info.version !== '0.1.0', `serverInfo version ${info.version}`);

    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const name of ['servers_list', 'backups_list', 'backups_restore']) check(byName[name], `${name} not listed`);
    check(!byName.servers_delete, 'servers_delete listed without its scope');
    const ann = byName.backups_restore.annotations;
    check(ann?.destructiveHint === true && ann.readOnlyHint === false, `backups_restore annotations ${JSON.stringify(ann)}`);
    check(byName.servers_list.annotations?.readOnlyHint === true, 'servers_list is not read-only');

    const read = await client.callTool({ name: 'servers_list', arguments: {} });
    check(!read.isError, `servers_list failed: ${text(read)}`);

    const wrong = await client.callTool({ name: 'backups_restore', arguments: { backupId: 42, bogus: true } });
    check(wrong.isError, `wrong arguments were accepted: ${text(wrong)}`);
    check(answer.asked === 0, 'the user was asked about invalid arguments');

    const restoreArgs = { backupId: 'backup_0001', targetServerId: 'server_0002' };
    const before = sent(records, 'backups_restore');
    answer.action = 'decline';
    const declined = await client.callTool({ name: 'backups_restore', arguments: restoreArgs });
    check(declined.isError && /declined/.test(text(declined)), `declined restore: ${text(declined)}`);
    check(answer.asked === 1, `asked ${answer.asked} times for the declined call, want 1`);

    answer.action = 'accept';
    const accepted = await client.callTool({ name: 'backups_restore', arguments: restoreArgs });
    // The demo backup may live under another path on the fake (a 404 from
    // it still proves the request was sent); what matters is that it was
    // not refused here.
    check(!/declined|not confirmed|not sent/.test(text(accepted)), `accepted restore was not sent: ${text(accepted)}`);
    check(answer.asked === 2, `asked ${answer.asked} times in all, want 2`);
    await waitFor(() => sent(records, 'backups_restore') === before + 1, 'the accepted restore in the audit records');
    await delay(100);
    check(sent(records, 'backups_restore') === before + 1, `restores sent: ${sent(records, 'backups_restore') - before}, want 1 (the declined one must send nothing)`);
    check(records.some((r) => r.tool === 'backups_restore' && r.outcome === 'declined'), 'no audit record of the declined call');
  } finally {
    await client.close();
  }
}

// unauthenticated checks that the HTTP server refuses a request without
// the token, with a challenge.
async function unauthenticated(url) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  check(res.status === 401, `no token: status ${res.status}, want 401`);
  check((res.headers.get('www-authenticate') ?? '').startsWith('Bearer'), 'no WWW-Authenticate: Bearer challenge');
}

const started = Date.now();
let failed = 0;
const http = await startHTTP();
try {
  await unauthenticated(http.url);
  console.log('ok   http: a request without the bearer token gets 401');
  for (const [name, sdk] of Object.entries(sdks)) {
    for (const version of sdk.versions) {
      for (const transportName of ['stdio', 'http']) {
        const label = `${name} ${version} ${transportName}`;
        try {
          await runCase(sdk, transportName, version, http);
          console.log(`ok   ${label}`);
        } catch (err) {
          failed++;
          console.log(`FAIL ${label}: ${err?.stack ?? err}`);
        }
      }
    }
  }
} catch (err) {
  failed++;
  console.log(`FAIL ${err?.stack ?? err}`);
} finally {
  http.stop();
}
console.log(`${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
process.exit(failed ? 1 : 0);
