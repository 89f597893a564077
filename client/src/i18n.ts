// The interface language (English or Chinese, remembered on this device) and locale-aware formatting
// of numbers, dates and durations with Intl.
import { useEffect, useState } from 'preact/hooks';
import { en } from './i18n/en.ts';
import { zh } from './i18n/zh.ts';

export type Lang = 'en' | 'zh';
export type MessageKey = keyof typeof en;

const LANG_KEY = 'lifeline.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang: Lang = initialLang();
const listeners = new Set<() => void>();
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

export const currentLang = () => lang;

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener();
}

/** Re-renders the calling component when the language changes. */
export function useLang(): Lang {
  const [value, setValue] = useState(lang);
  useEffect(() => {
    const listener = () => setValue(lang);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return value;
}

/** The locale for numbers and dates: Chinese when the interface is Chinese, else the browser's own. */
export function locale(): string {
  if (lang === 'zh') return 'zh-CN';
  return navigator.language.toLowerCase().startsWith('zh') ? 'en-GB' : navigator.language || 'en-GB';
}

/** A message with `{name}` placeholders filled in (numbers formatted for the locale). */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template = dictionaries[lang][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? fmtNumber(v) : v;
  });
}

/** Like t, for keys built from data (a status, a reason): the raw value when there is no message. */
export function tOr(key: string, fallback: string): string {
  return key in en ? t(key as MessageKey) : fallback;
}

export const fmtNumber = (n: number, digits = 0) => new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
export const fmtPercent = (fraction: number) => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(fraction);

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00`) : new Date(iso);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(date);
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(new Date(iso));
}

export function fmtDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(minutes);
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 }).format(minutes / 60);
}

export const fmtKm = (metres: number) =>
  metres < 1000
    ? new Intl.NumberFormat(locale(), { style: 'unit', unit: 'meter', unitDisplay: 'short', maximumFractionDigits: 0 }).format(metres)
    : new Intl.NumberFormat(locale(), { style: 'unit', unit: 'kilometer', unitDisplay: 'short', maximumFractionDigits: 1 }).format(metres / 1000);

/** Days from today until an ISO date (negative when past). */
export function daysUntil(isoDate: string): number {
  const today = new Date();
  today.setHours(12, 0, 0, 0);
  return Math.round((new Date(`${isoDate}T12:00:00`).getTime() - today.getTime()) / 86_400_000);
}
