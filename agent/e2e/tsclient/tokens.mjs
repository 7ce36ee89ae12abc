// Counts, with a real tokenizer, what a model's context carries for the
// tools the built restorehub-mcp binary lists to the official TypeScript
// MCP SDK: every listed tool rendered as a host passes it to a model
// ({name, description, input_schema}, Anthropic's shape, and OpenAI's
// {type, function: {name, description, parameters}}) plus the server's
// instructions, which hosts put in the system prompt. The tokenizer is
// o200k_base (gpt-tokenizer, pinned), the one of OpenAI's current models;
// other models' tokenizers differ by some percent.
//
//   node tokens.mjs PATH/TO/restorehub-mcp
//   node tokens.mjs -files DIR
//
// The second form counts the listings internal/gen's swap probe writes for
// another spec (RESTOREHUB_SWAP_LISTINGS=DIR): N-anthropic.json,
// N-openai.json and N-instructions.txt per mode N, without the limits.
//
// It fails when "everything" (every tool, destructive ones included) is
// 6,000 tokens or more, or discovery mode 1,500 or more.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

// count is what one listing costs in tokens: the tools in Anthropic's and
// in OpenAI's shape (JSON text), each with the instructions.
function count(anthropic, openai, instructions) {
  const inst = countTokens(instructions);
  return { an: countTokens(anthropic) + inst, oa: countTokens(openai) + inst, inst };
}

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node tokens.mjs PATH/TO/restorehub-mcp');
  process.exit(2);
}
if (bin === '-files') {
  const dir = process.argv[3];
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('-instructions.txt')).sort()) {
    const n = f.split('-')[0];
    const { an, oa, inst } = count(read(`${n}-anthropic.json`), read(`${n}-openai.json`), read(f));
    console.log(`mode ${n}: Anthropic shape ${an} tokens, OpenAI shape ${oa} tokens (instructions ${inst})`);
  }
  process.exit(0);
}
const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp' };

const modes = [
  { name: 'everything', args: ['-scopes', '*', '-allow-destructive'], limit: 6000 },
  { name: 'read-only', args: ['-scopes', '*', '-read-only'] },
  { name: 'one toolset (backups)', args: ['-scopes', '*', '-allow-destructive', '-toolsets', 'backups'] },
  { name: 'discovery', args: ['-scopes', '*', '-allow-destructive', '-discovery'], limit: 1500 },
];

let failed = false;
for (const mode of modes) {
  const client = new Client({ name: 'tokens', version: '1' });
  await client.connect(new StdioClientTransport({ command: bin, args: ['-fake', ...mode.args], env, stderr: 'ignore' }));
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  const instructions = client.getInstructions() ?? '';
  await client.close();
  const anthropic = JSON.stringify(tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })));
  const openai = JSON.stringify(tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } })));
  const { an, oa, inst } = count(anthropic, openai, instructions);
  console.log(`${mode.name.padEnd(24)} ${String(tools.length).padStart(3)} tools  Anthropic shape ${String(an).padStart(5)} tokens  OpenAI shape ${String(oa).padStart(5)} tokens  (instructions ${inst})`);
  if (mode.limit && Math.max(an, oa) >= mode.limit) {
    console.error(`FAIL: ${mode.name} is ${Math.max(an, oa)} tokens, the budget is under ${mode.limit}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
