// Checks that run as the user types, mirroring the server's input rules (server/needs/needs.schema.ts),
// so most mistakes are caught before a round trip; the server still has the last word.
import { t } from './i18n.ts';

export type Check = (value: string) => string | undefined;

export const required: Check = (v) => (v.trim() ? undefined : t('reason.required'));

export const text = (min: number, max: number): Check => (v) => {
  const s = v.trim();
  if (!s && min > 0) return t('reason.required');
  if (s.length < min) return t('reason.minLength', { n: min });
  if (s.length > max) return t('reason.maxLength', { n: max });
  return undefined;
};

export const wholeNumber = (min: number, max: number): Check => (v) => {
  if (!v.trim()) return t('reason.required');
  const n = Number(v);
  if (!Number.isFinite(n)) return t('reason.number');
  if (!Number.isInteger(n)) return t('reason.wholeNumber');
  if (n < min) return t('reason.min', { n: min });
  if (n > max) return t('reason.max', { n: max });
  return undefined;
};

export const decimal = (min: number, max: number): Check => (v) => {
  if (!v.trim()) return t('reason.required');
  const n = Number(v);
  if (!Number.isFinite(n)) return t('reason.number');
  if (n < min) return t('reason.min', { n: min });
  if (n > max) return t('reason.max', { n: max });
  return undefined;
};

export const phone: Check = (v) => (!v.trim() || /^[+0-9 ().-]{6,25}$/.test(v.trim()) ? undefined : t('reason.phone'));

export const isoDateOrEmpty: Check = (v) => (!v || /^\d{4}-\d{2}-\d{2}$/.test(v) ? undefined : t('reason.date'));
