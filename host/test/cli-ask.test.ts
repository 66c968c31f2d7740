import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { cliEnv, cliProject, freePort, lastingCliProject, runCli, startHost, type RunningHost } from './cli-helpers.js';

let upstream: ScriptedUpstream;
beforeAll(async () => {
  upstream = await createScriptedUpstream();
});
afterAll(async () => {
  await upstream.close();
});

/** The last user message of each streamed chat request (background calls are not streamed). */
function askedOf(server: ScriptedUpstream): string[] {
  return server.requests
    .filter((r) => r.path.endsWith('/chat/completions') && r.stream)
    .map((r) => (r.body.messages as Array<{ role: string; content: unknown }>).filter((m) => m.role === 'user').at(-1)?.content)
    .filter((c): c is string => typeof c === 'string');
}

describe('llm-bawt ask (in-process host)', () => {
  it('answers a question with the streamed reply on stdout and nothing else', async () => {
    const dir = cliProject(upstream);
    upstream.reset();
    upstream.setDefault({ text: ['The answer ', 'is 42.'] });
    const run = await runCli(['ask', 'what', 'is', 'the', 'answer?'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('The answer is 42.\n');
    expect(askedOf(upstream)).toContain('what is the answer?');
  });

  it('reads piped stdin, below the question when both are given', async () => {
    const dir = cliProject(upstream);
    upstream.reset();
    upstream.setDefault({ text: 'Summarised.' });
    const piped = await runCli(['ask', '--bot', 'plain'], { cwd: dir, stdin: 'line one\nline two\n' });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('Summarised.\n');
    const both = await runCli(['ask', 'summarise this:', '-b', 'plain'], { cwd: dir, stdin: 'some text\n' });
    expect(both.code).toBe(0);
    expect(askedOf(upstream)).toEqual(['line one\nline two', 'summarise this:\n\nsome text']);
  });

  it('--json prints the chat.completion object; --no-stream and --plain print the answer', async () => {
    const dir = cliProject(upstream);
    upstream.reset();
    upstream.setDefault({ text: '**bold** answer' });
    const json = await runCli(['ask', 'hi', '--json', '--model', 'other'], { cwd: dir });
    expect(json.code).toBe(0);
    const completion = JSON.parse(json.stdout) as { object: string; model: string; choices: Array<{ message: { content: string } }> };
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('**bold** answer');
    const chatRequests = upstream.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect(chatRequests[0]?.body.model).toBe('scripted-other');
    const whole = await runCli(['ask', 'hi', '--no-stream', '--plain'], { cwd: dir });
    expect(whole.code).toBe(0);
    expect(whole.stdout).toBe('**bold** answer\n');
  });

  it('shows a server-side tool call on stderr as it runs; the answer alone goes to stdout', async () => {
    const dir = cliProject(upstream);
    upstream.reset();
    upstream.script({ toolCalls: [{ id: 'call_1', name: 'time', arguments: {} }] }, { text: 'It is noon.' });
    const run = await runCli(['ask', 'what time is it?', '--bot', 'clock'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('It is noon.\n');
    expect(run.stderr).toMatch(/⚙ time\(.*\)\n✔ time \d+ ms\n/);
    // The tool ran on the server and its result went back to the model.
    const second = upstream.requests.filter((r) => r.path.endsWith('/chat/completions') && r.stream)[1];
    expect(((second?.body.messages ?? []) as Array<{ role: string }>).some((m) => m.role === 'tool')).toBe(true);
  });

  it('a question for an unknown bot fails with the server message and exit code 3', async () => {
    const dir = cliProject(upstream);
    const run = await runCli(['ask', 'hi', '--bot', 'nobody'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/llm-bawt ask: .*nobody/);
  });

  it('no question and nothing piped is a usage error (exit 2)', async () => {
    const dir = cliProject(upstream);
    const run = await runCli(['ask'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ask needs a question');
  });

  it('an upstream failure is one line on stderr and exit 1', async () => {
    const dir = cliProject(upstream);
    upstream.reset();
    upstream.setDefault({ fault: { kind: 'status', status: 400, body: { error: { message: 'context too long', type: 'invalid_request_error' } } } });
    const run = await runCli(['ask', 'hi'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^llm-bawt ask: /);
  });
});

describe('llm-bawt ask --service (a running host)', () => {
  let host: RunningHost;
  let dir: string;
  let remove: () => void;
  beforeAll(async () => {
    ({ dir, remove } = lastingCliProject(upstream));
    host = await startHost(dir);
  });
  afterAll(async () => {
    await host.stop();
    remove();
  });

  it('asks the running host, through --service and through LLM_BAWT_SERVICE', async () => {
    upstream.reset();
    upstream.setDefault({ text: 'From the service.' });
    const other = cliProject(upstream);
    const flag = await runCli(['ask', 'hello there', '--service', host.url], { cwd: other });
    expect(flag.stderr).toBe('');
    expect(flag.code).toBe(0);
    expect(flag.stdout).toBe('From the service.\n');
    const env = await runCli(['ask', 'and again'], { cwd: other, env: cliEnv(other, { LLM_BAWT_SERVICE: `${host.url}/v1` }) });
    expect(env.code).toBe(0);
    expect(env.stdout).toBe('From the service.\n');
    expect(askedOf(upstream)).toEqual(expect.arrayContaining(['hello there', 'and again']));
  });

  it('remembers: the second question reaches the model with the first in its history', async () => {
    upstream.reset();
    upstream.setDefault({ text: 'Noted.' });
    await runCli(['ask', 'my cat is called Miso', '--service', host.url, '--user', 'cli-user'], { cwd: dir });
    await runCli(['ask', 'what is my cat called?', '--service', host.url, '--user', 'cli-user'], { cwd: dir });
    const last = upstream.requests.filter((r) => r.path.endsWith('/chat/completions') && r.stream).at(-1);
    const contents = ((last?.body.messages ?? []) as Array<{ content: unknown }>).map((m) => String(m.content));
    expect(contents.some((c) => c.includes('my cat is called Miso'))).toBe(true);
  });

  it('in-process, when a running host holds the embedded database, the command talks to that host', async () => {
    const project = lastingCliProject(upstream);
    const env = cliEnv(project.dir, { LLM_BAWT_PORT: String(await freePort()) });
    const running = await startHost(project.dir, env, Number(env.LLM_BAWT_PORT));
    try {
      upstream.reset();
      upstream.setDefault({ text: 'Via the running host.' });
      const run = await runCli(['ask', 'hi'], { cwd: project.dir, env });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('Via the running host.\n');
      expect(run.stderr).toContain(`the embedded database is in use by the host at ${running.url}: using that host`);
    } finally {
      await running.stop();
      project.remove();
    }
  });

  it('an unreachable service is exit code 4 with the address in the message', async () => {
    const run = await runCli(['ask', 'hi', '--service', 'http://127.0.0.1:9'], { cwd: dir });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('cannot reach llm-bawt at http://127.0.0.1:9');
  });
});
