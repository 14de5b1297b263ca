/** The `miniscope` command (bin/miniscope.mjs): runs the command line and exits with its code. */
import { report } from './errors.js';
import { runCli } from './run.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error, {});
  },
);
