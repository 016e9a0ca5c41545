import { runDecode, decodeUsage } from './commands/decode.js';
import { runEncode, encodeUsage } from './commands/encode.js';
import { inspectUsage, runInspect } from './commands/inspect.js';
import { resizeUsage, runResize } from './commands/resize.js';
import { runTransform, transformUsage } from './commands/transform.js';
import { EXIT_BAD_INPUT, EXIT_OK, errorLine, processIo } from './io.js';
import type { Io } from './io.js';

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  inspect: runInspect,
  decode: runDecode,
  encode: runEncode,
  resize: runResize,
  transform: runTransform,
};

export const usage = ['usage:', inspectUsage, decodeUsage, encodeUsage, resizeUsage, transformUsage].join(
  '\n  ',
);

/**
 * Runs the CLI with the given arguments and returns the exit code: 0 on success, 2 on bad input or an
 * unavailable backend (after one stderr line that starts with the error code).
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(usage);
    return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(
      `E_INVALID_ARGUMENT: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`,
    );
    return EXIT_BAD_INPUT;
  }
  try {
    return await run(args, io);
  } catch (error) {
    io.stderr(errorLine(error, command));
    return EXIT_BAD_INPUT;
  }
}
