import { runCommandLine } from './cli-run.js';
import { main } from './main-command.js';

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const code = await runCommandLine(main, {
  argv: process.argv.slice(2),
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  color,
}).catch((error: unknown) => {
  process.stderr.write(`llm-bawt: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});
if (code !== 0) process.exit(code);
