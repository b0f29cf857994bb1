/** Run the built `emptychair` command as a person would, capturing its output and exit code. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The built command's entry point. */
export const bin = fileURLToPath(new URL('../../bin/emptychair.js', import.meta.url));
const run = promisify(execFile);

export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, EMPTYCHAIR_DATABASE_URL: '' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
