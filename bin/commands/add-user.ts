// `lifeline add-user --role admin --email ada@example.org [--name "Ada"] [--communities A,B] [--warehouses 1,2]`:
// creates an account in the configured database, e.g. the first admin of a production install. The
// password comes from LIFELINE_PASSWORD or stdin (typed without echo at a terminal), never from argv,
// which other users of the machine can read.
import { parseArgs } from 'node:util';
import { PUBLISHED_DEMO_PASSWORD, readConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { createUser } from '../../server/auth/auth.service.ts';
import { newUserBody } from '../../server/auth/auth.schema.ts';
import { HttpError } from '../../server/http/errors.ts';

const list = (value: string | undefined) => value?.split(',').map((v) => v.trim()).filter(Boolean);

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' }, communities: { type: 'string' }, warehouses: { type: 'string' } },
  });
  const password = process.env.LIFELINE_PASSWORD ?? (await readPassword());
  if (password === PUBLISHED_DEMO_PASSWORD) {
    console.error('add-user: that is the demo’s published password; choose another');
    return 2;
  }
  const input = newUserBody.safeParse({
    email: values.email,
    name: values.name ?? values.email,
    phone: values.phone,
    role: values.role,
    password,
    communities: list(values.communities),
    warehouseIds: list(values.warehouses)?.map(Number),
  });
  if (!input.success) {
    for (const issue of input.error.issues) console.error(`add-user: ${issue.path.join('.') || 'input'}: ${issue.message}`);
    return 2;
  }
  const db = await openDatabase(readConfig());
  try {
    const user = await createUser(db, input.data);
    console.log(`Created ${user.role} ${user.email} (user ${user.id}).`);
    return 0;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    console.error(`add-user: ${error.message}`);
    return 1;
  } finally {
    await db.close();
  }
}

/** The password from stdin: one line, piped, or typed at a terminal with nothing echoed. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  let typed = '';
  try {
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\u0003') process.exit(130);
        if (char === '\r' || char === '\n') return typed;
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    }
    return typed;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}
