// Drives the devnet's real chat gateway (verity gateway in front of validator and compute-node processes, the shipped
// model run by ONNX Runtime on the nodes) with the official `openai` npm client. DevnetChatTest starts the devnet and
// runs this script:
//   VERITY_GATEWAY_URL=http://127.0.0.1:PORT/v1 VERITY_MODEL=verity-chat-tiny node devnet-chat-test.mjs
// It prints one line per check, the texts the model wrote, and a summary; it exits 1 when any check fails.
import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import { VERSION } from 'openai/version';

const baseURL = process.env.VERITY_GATEWAY_URL;
const MODEL = process.env.VERITY_MODEL ?? 'verity-chat-tiny';
if (!baseURL) {
  console.error('set VERITY_GATEWAY_URL to the gateway\'s base URL, such as http://127.0.0.1:8080/v1');
  process.exit(2);
}
// No retries: a retry would be a new paid job.
const client = new OpenAI({ baseURL, apiKey: 'none', maxRetries: 0, timeout: 120_000 });
const results = [];

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function check(name, body) {
  try {
    await body();
    results.push(true);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push(false);
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
  }
}

function checkVerity(v, what) {
  assert(v && /^[0-9a-f]{64}$/.test(v.job), `${what}: the verity object names its job: ${JSON.stringify(v)}`);
  assert(v.mode === 'TEE', `${what}: mode TEE, got ${v.mode}`);
  assert(v.status === 'SETTLED', `${what}: settled, got ${v.status}`);
  assert(/^[0-9a-f]{64}$/.test(v.node), `${what}: the node that computed it`);
  assert(v.receipt.endsWith(`/v1/jobs/${v.job}/receipt`), `${what}: receipt link ${v.receipt}`);
}

await check('models.list lists the chat model registered on chain', async () => {
  const ids = [];
  for await (const m of client.models.list()) {
    ids.push(m.id);
  }
  assert(ids.includes(MODEL), `models: ${ids}`);
});

await check('chat.completions.create: a settled TEE answer with usage', async () => {
  const c = await client.chat.completions.create({
    model: MODEL, messages: [{ role: 'user', content: 'Who was Emma Woodhouse?' }], max_tokens: 24, temperature: 0.8,
    seed: 7,
  });
  const choice = c.choices[0];
  assert(typeof choice.message.content === 'string', 'content is text');
  assert(['stop', 'length'].includes(choice.finish_reason), `finish_reason ${choice.finish_reason}`);
  assert(c.usage.prompt_tokens > 0 && c.usage.completion_tokens > 0, `usage ${JSON.stringify(c.usage)}`);
  assert(c.usage.total_tokens === c.usage.prompt_tokens + c.usage.completion_tokens, 'total = prompt + completion');
  checkVerity(c.verity, 'chat');
  console.log(`     answer: ${JSON.stringify(choice.message.content)} (job ${c.verity.job})`);
});

await check('chat.completions.create with stream and include_usage: chunks as the node makes them', async () => {
  const stream = await client.chat.completions.create({
    model: MODEL, messages: [{ role: 'user', content: 'And the Lord said' }], max_tokens: 16, stream: true,
    stream_options: { include_usage: true }, temperature: 0,
  });
  let text = '';
  let chunks = 0;
  let usage = null;
  let finish = null;
  let verity = null;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].delta?.content ?? '';
      finish = chunk.choices[0].finish_reason ?? finish;
    }
    usage = chunk.usage ?? usage;
    verity = chunk.verity ?? verity;
  }
  assert(chunks >= 3, `chunks: ${chunks}`);
  assert(finish === 'stop' || finish === 'length', `finish ${finish}`);
  assert(usage && usage.completion_tokens > 0, `usage ${JSON.stringify(usage)}`);
  checkVerity(verity, 'stream');
  console.log(`     streamed: ${JSON.stringify(text)} in ${chunks} chunks`);
});

await check('completions.create: a text completion', async () => {
  const c = await client.completions.create({ model: MODEL, prompt: 'In the beginning', max_tokens: 12, temperature: 0 });
  assert(c.object === 'text_completion', `object ${c.object}`);
  assert(typeof c.choices[0].text === 'string' && c.usage.completion_tokens > 0, 'text and usage');
  console.log(`     completion: ${JSON.stringify(c.choices[0].text)}`);
});

await check('an unknown model is a NotFoundError', async () => {
  try {
    await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
  } catch (e) {
    assert(e instanceof NotFoundError, `got ${e?.constructor?.name}: ${e?.message}`);
    return;
  }
  throw new Error('the call succeeded');
});

await check('a temperature out of range is a BadRequestError', async () => {
  try {
    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], temperature: 3 });
  } catch (e) {
    assert(e instanceof BadRequestError, `got ${e?.constructor?.name}: ${e?.message}`);
    return;
  }
  throw new Error('the call succeeded');
});

const passed = results.filter(Boolean).length;
console.log(`${passed}/${results.length} checks passed with openai ${VERSION} on Node.js ${process.version}`);
process.exit(passed === results.length ? 0 : 1);
