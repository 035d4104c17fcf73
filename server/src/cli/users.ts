// pnpm users -- <command> …   Manage accounts from the command line (every change is audited
// with actor "cli:<os user>").
//   list
//   create <username> --role ROLE --name NAME [--subdistrict CODE|--community CODE|--grid CODE|--department CODE] [--password-stdin]
//          (party_member: --grid CODE --cadre ID of an in-service cadre of that grid; task_force: --community CODE or none for the city)
//   set-role <username> --role ROLE [scope option]
//   reset-password <username> [--password-stdin]
//   disable <username> | enable <username>
//   create-demo        the demo accounts (password enshi-demo), only into a database without users
// Without --password-stdin a random password is generated and printed once.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { AccountError, createUser, listUsers, resetPassword, setActive, setRole } from '../users/accounts.ts';
import { ensureDemoAccounts } from '../users/demo.ts';

const actor = `cli:${os.userInfo().username}`;

async function readPassword(fromStdin: boolean | undefined): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: randomBytes(12).toString('base64url'), generated: true };
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return { password: data.replace(/\r?\n$/, ''), generated: false };
}

async function main() {
  const { values, positionals } = parseArgs({
    // `pnpm users -- …` forwards the "--" too; drop it so options after it still parse.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: {
      role: { type: 'string' }, name: { type: 'string' }, subdistrict: { type: 'string' }, community: { type: 'string' },
      grid: { type: 'string' }, department: { type: 'string' }, cadre: { type: 'string' }, 'password-stdin': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const [command, username] = positionals;
  const scope = { subdistrict: values.subdistrict, community: values.community, grid: values.grid, department: values.department, cadre: values.cadre };
  const needUser = () => {
    if (!username) throw new AccountError(`${command} needs a username`);
    return username;
  };

  const db = await openDb({ ...loadConfig(), onProgress: () => {} });
  try {
    await migrate(db);
    switch (command) {
      case 'list':
        console.table(await db.withClient(listUsers));
        break;
      case 'create': {
        if (!values.role) throw new AccountError('create needs --role');
        const { password, generated } = await readPassword(values['password-stdin']);
        const user = await db.withTransaction((c) =>
          createUser(c, { username: needUser(), displayName: values.name ?? needUser(), role: values.role!, scope, password }, actor));
        console.log(`created ${user.username} (${user.role})${generated ? `; password: ${password}` : ''}`);
        break;
      }
      case 'set-role': {
        if (!values.role) throw new AccountError('set-role needs --role');
        const user = await db.withTransaction((c) => setRole(c, needUser(), values.role!, scope, actor));
        console.log(`${user.username} is now ${user.role}; their sessions were ended`);
        break;
      }
      case 'reset-password': {
        const { password, generated } = await readPassword(values['password-stdin']);
        await db.withTransaction((c) => resetPassword(c, needUser(), password, actor));
        console.log(`password of ${needUser()} reset${generated ? `: ${password}` : ''}; their sessions were ended`);
        break;
      }
      case 'disable':
      case 'enable':
        await db.withTransaction((c) => setActive(c, needUser(), command === 'enable', actor));
        console.log(`${needUser()} ${command}d`);
        break;
      case 'create-demo':
        console.log(`created ${await ensureDemoAccounts(db)} demo accounts (none if users already exist)`);
        break;
      default:
        throw new AccountError('usage: pnpm users -- list | create | set-role | reset-password | disable | enable | create-demo (see server/src/cli/users.ts)');
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof AccountError ? err.message : `failed: ${(err as Error).message}`);
  process.exit(err instanceof AccountError ? 2 : 1);
});
