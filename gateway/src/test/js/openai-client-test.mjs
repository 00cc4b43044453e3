// Drives a running Verity gateway with the official `openai` npm client: the proof that a stock OpenAI client works
// against it unchanged. OpenAiNodeClientTest starts the gateway (with its test backend) and runs this script:
//   VERITY_GATEWAY_URL=http://127.0.0.1:PORT/v1 VERITY_GATEWAY_KEY=... node openai-client-test.mjs
// It prints one line per check and a summary, and exits 1 when any check fails.
import OpenAI, { APIError, BadRequestError, NotFoundError } from 'openai';
import { VERSION } from 'openai/version';

const baseURL = process.env.VERITY_GATEWAY_URL;
const apiKey = process.env.VERITY_GATEWAY_KEY ?? 'none';
const MODEL = process.env.VERITY_MODEL ?? 'verity-chat';
const REPLY = process.env.VERITY_EXPECTED_REPLY ?? '';
if (!baseURL) {
  console.error('set VERITY_GATEWAY_URL to the gateway\'s base URL, such as http://127.0.0.1:8080/v1');
  process.exit(2);
}

// No retries: a retry would be a new paid job, and each check must see the gateway's first answer.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const results = [];

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function assertEqual(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function check(name, body) {
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
  }
}

async function expectError(promise, type, status, code) {
  try {
    await promise;
  } catch (e) {
    assert(e instanceof type, `expected ${type.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assertEqual(e.status, status, 'status');
    assertEqual(e.code, code, 'error code');
    return e;
  }
  throw new Error(`expected ${type.name}, but the call succeeded`);
}

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello.' },
];

await check('models.list lists the served model', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assertEqual(model.object, 'model', 'object');
    ids.push(model.id);
  }
  assert(ids.includes(MODEL), `models ${JSON.stringify(ids)} lack ${MODEL}`);
  const one = await client.models.retrieve(MODEL);
  assertEqual(one.id, MODEL, 'retrieved id');
});

await check('chat.completions.create answers with usage and the verity object', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: MODEL, messages, temperature: 0.5, top_p: 0.9, max_tokens: 100, seed: 7, user: 'script' })
    .withResponse();
  assertEqual(data.object, 'chat.completion', 'object');
  assertEqual(data.choices.length, 1, 'choices');
  assertEqual(data.choices[0].message.role, 'assistant', 'role');
  assertEqual(data.choices[0].message.content, REPLY, 'content');
  assertEqual(data.choices[0].finish_reason, 'stop', 'finish_reason');
  assert(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0, 'usage counts');
  assertEqual(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens, 'total_tokens');
  assert(/^[0-9a-f]{64}$/.test(data.verity.job), `verity.job ${data.verity.job}`);
  assertEqual(response.headers.get('verity-job'), data.verity.job, 'Verity-Job header');
  assertEqual(response.headers.get('verity-status'), data.verity.status, 'Verity-Status header');
});

await check('chat.completions.create with a stop string cuts the text', async () => {
  const stop = REPLY.slice(5, 9);
  const data = await client.chat.completions.create({ model: MODEL, messages, stop: [stop] });
  assertEqual(data.choices[0].message.content, REPLY.slice(0, REPLY.indexOf(stop)), 'content');
  assertEqual(data.choices[0].finish_reason, 'stop', 'finish_reason');
});

await check('chat.completions.create streams chunks with include_usage', async () => {
  const stream = await client.chat.completions.create({
    model: MODEL, messages, stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let role = null;
  let finish = null;
  let usage = null;
  let verity = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assertEqual(chunk.object, 'chat.completion.chunk', 'object');
    const choice = chunk.choices[0];
    if (choice) {
      role = role ?? choice.delta.role ?? null;
      text += choice.delta.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    usage = chunk.usage ?? usage;
    verity = chunk.verity ?? verity;
  }
  assertEqual(role, 'assistant', 'role');
  assertEqual(text, REPLY, 'streamed text');
  assertEqual(finish, 'stop', 'finish_reason');
  assert(usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens, 'usage chunk');
  assert(verity && /^[0-9a-f]{64}$/.test(verity.job), 'verity on the last chunks');
  assert(chunks > 3, `only ${chunks} chunks`);
});

await check('completions.create answers a text_completion', async () => {
  const data = await client.completions.create({ model: MODEL, prompt: 'Once upon a time', max_tokens: 64 });
  assertEqual(data.object, 'text_completion', 'object');
  assert(data.choices[0].text.startsWith(REPLY), `text ${JSON.stringify(data.choices[0].text)}`);
  assert(['stop', 'length'].includes(data.choices[0].finish_reason), 'finish_reason');
});

await check('completions.create streams', async () => {
  const stream = await client.completions.create({ model: MODEL, prompt: 'Once upon a time', max_tokens: 5, stream: true });
  let text = '';
  let finish = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.text ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assertEqual(text, REPLY.slice(0, 5), 'text (five one-byte tokens)');
  assertEqual(finish, 'length', 'finish_reason');
});

await check('an unknown model is a NotFoundError', async () => {
  await expectError(client.chat.completions.create({ model: 'gpt-4o', messages }), NotFoundError, 404, 'model_not_found');
});

await check('a temperature out of range is a BadRequestError', async () => {
  const e = await expectError(client.chat.completions.create({ model: MODEL, messages, temperature: 5 }),
    BadRequestError, 400, 'decimal_above_max_value');
  assertEqual(e.param, 'temperature', 'param');
});

await check('n > 1 is a BadRequestError', async () => {
  const e = await expectError(client.chat.completions.create({ model: MODEL, messages, n: 2 }), BadRequestError, 400,
    'unsupported_value');
  assertEqual(e.param, 'n', 'param');
});

await check('a stream whose settled result differs ends in an APIError', async () => {
  const stream = await client.chat.completions.create({ model: 'mismatch', messages, stream: true });
  try {
    for await (const chunk of stream) {
      void chunk;
    }
  } catch (e) {
    assert(e instanceof APIError, `expected APIError, got ${e?.constructor?.name}`);
    assertEqual(e.code, 'result_mismatch', 'error code');
    return;
  }
  throw new Error('the stream ended without an error');
});

const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length}/${results.length} checks passed with openai ${VERSION} on Node.js ${process.version}`);
process.exit(failed.length === 0 ? 0 : 1);
