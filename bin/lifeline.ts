// `lifeline <command> [args]`: each sub-command lives in bin/commands/<command>.ts and exports `run(args)`.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const commandsDir = fileURLToPath(new URL('./commands/', import.meta.url));
const available = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: lifeline <command> [args]\ncommands: ${available.join(', ')}`);
  process.exit(name ? 2 : 0);
}
const command = (await import(`./commands/${name}.ts`)) as { run: (args: string[]) => Promise<number | void> };
const code = await command.run(args);
process.exitCode = typeof code === 'number' ? code : 0;
