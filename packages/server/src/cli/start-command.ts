/** `miniscope start [--demo]`: run the server until SIGINT/SIGTERM, then shut down without losing queued events. */
import type { Config } from '../config.js';
import { describeDemo, runDemo } from '../demo/run.js';
import { createMiniscope } from '../miniscope.js';
import { demoSize } from './demo-command.js';

export async function startCommand(config: Config, flags: Record<string, string>): Promise<number> {
  const m = await createMiniscope(config);
  const address = await m.server.listen({ port: config.port, host: config.host });
  const storage = config.clickhouseUrl ? `ClickHouse at ${config.clickhouseUrl}` : `embedded, in ${config.dataDir}`;
  console.log(
    `Miniscope is running at ${address.replace('0.0.0.0', 'localhost')} (storage: ${storage}, time zone ${config.timeZone}).`,
  );
  const home = address.replace('0.0.0.0', 'localhost');
  if (m.auth.setupToken && flags.demo !== 'true') {
    console.log(
      'No accounts yet. Create the first admin in the dashboard:\n' +
        `  ${home}/setup?token=${m.auth.setupToken}\n` +
        '  or here (it prints the password once): npx miniscope user add --wechat-id <your 微信号> --name "<your name>" --admin',
    );
  }
  if (m.apps.list().length === 0 && flags.demo !== 'true') {
    console.log(
      'No apps yet. Register one: npx miniscope app add --appid wx… --name "My app" (or restart with --demo).',
    );
  }
  // For tests and supervisors: the line after which the server takes requests.
  console.log(`READY ${address}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping; writing queued events…`);
    await m.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (flags.demo === 'true') {
    const result = await runDemo(m, demoSize(flags));
    for (const line of describeDemo(result)) console.log(line);
  }
  return -1; // keep running
}
