// Printable access slips for a community's households: issues codes (for households without one, or new
// ones for all) and lays out one slip per household — name, link and QR code — in the slip's language.
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { post } from '../api.ts';
import { t, useLang, type Lang, type MessageKey } from '../i18n.ts';
import { en } from '../i18n/en.ts';
import { zh } from '../i18n/zh.ts';
import type { Me } from '../types.ts';
import { ErrorNote, Field, useSubmit } from '../components/ui.tsx';
import './resident.css';

interface Slip {
  householdId: number;
  name: string;
  address: string;
  code: string;
  url: string;
}

interface Issued {
  community: string;
  slips: Slip[];
  keptCodes: number;
}

/** The slip's own words, in the household's language rather than the worker's. */
const slipWords = (lang: Lang, key: MessageKey) => (lang === 'zh' ? zh : en)[key];

export function SlipsPage({ me }: { me: Me }) {
  useLang();
  const [community, setCommunity] = useState(me.communities?.[0] ?? '');
  const [slipLang, setSlipLang] = useState<Lang>('zh');
  const [reissue, setReissue] = useState(false);
  const [issued, setIssued] = useState<Issued>();
  const { busy, error, onSubmit } = useSubmit();

  const issue = onSubmit(async () => setIssued(await post<Issued>(`/communities/${encodeURIComponent(community.trim())}/access-slips`, { reissue })));

  return (
    <main class="page">
      <h1>{t('slips.title')}</h1>
      <form class="slips-form inline-form" onSubmit={issue}>
        <Field label={t('field.community')}>
          {me.communities ? (
            <select name="community" value={community} onChange={(e) => setCommunity(e.currentTarget.value)}>
              {me.communities.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          ) : (
            <input name="community" required value={community} onInput={(e) => setCommunity(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t('slips.language')}>
          <select name="lang" value={slipLang} onChange={(e) => setSlipLang(e.currentTarget.value as Lang)}>
            <option value="zh">中文</option>
            <option value="en">English</option>
          </select>
        </Field>
        <label class="checkbox">
          <input type="checkbox" name="reissue" checked={reissue} onChange={(e) => setReissue(e.currentTarget.checked)} /> {t('slips.reissue')}
        </label>
        <button type="submit" class="primary" disabled={busy || !community.trim()}>
          {t('slips.issue')}
        </button>
        {issued && issued.slips.length > 0 && (
          <button type="button" onClick={() => window.print()}>
            {t('slips.print')}
          </button>
        )}
      </form>
      {error !== undefined && <ErrorNote error={error} />}
      {issued && (
        <>
          <p class="muted slips-form">{t('slips.summary', { issued: issued.slips.length, kept: issued.keptCodes })}</p>
          <div class="slips">
            {issued.slips.map((slip) => (
              <SlipCard key={slip.householdId} slip={slip} community={issued.community} lang={slipLang} />
            ))}
          </div>
        </>
      )}
    </main>
  );
}

function SlipCard({ slip, community, lang }: { slip: Slip; community: string; lang: Lang }) {
  const link = `${location.origin}${slip.url}`;
  const [qr, setQr] = useState<string>();
  useEffect(() => void QRCode.toDataURL(link, { margin: 1, width: 240 }).then(setQr), [link]);
  return (
    <section class="slip" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <h3>{slip.name}</h3>
      <p class="muted">
        {slip.address} · {community}
      </p>
      {qr && <img src={qr} alt={slipWords(lang, 'slips.qrAlt')} />}
      <p>{slipWords(lang, 'slips.instructions')}</p>
      <p class="slip-url">{link}</p>
      <p class="muted">{slipWords(lang, 'slips.keepSecret')}</p>
    </section>
  );
}
