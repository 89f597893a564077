// Password hashing with bcrypt (bcryptjs: maintained, pure JavaScript, nothing to compile).
import bcrypt from 'bcryptjs';

/** Cost 10 in production; tests may lower it through BCRYPT_COST to stay quick. */
const cost = Number(process.env.BCRYPT_COST ?? 10);

export const hashPassword = (password: string) => bcrypt.hash(password, cost);
export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);
