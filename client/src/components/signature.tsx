// The receiver's signature, drawn with a finger on the phone (signature_pad) and handed to the form as a
// PNG data URL, within the size the server keeps, or not at all while the pad is empty.
import SignaturePad from 'signature_pad';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.ts';

/** The largest signature the server keeps (server/dispatch/proof-image.ts). */
const MAX_SIGNATURE_BYTES = 200_000;

/** The decoded size of a base64 data URL. */
const dataUrlBytes = (dataUrl: string) => Math.floor((dataUrl.length - dataUrl.indexOf(',') - 1) * 0.75);

export function SignatureField({ onChange }: { onChange: (png: string | undefined) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad>(undefined);
  const report = useRef(onChange);
  report.current = onChange;
  const [tooLarge, setTooLarge] = useState(false);

  useEffect(() => {
    const c = canvas.current!;
    // Drawn at the screen's pixel density (at most 2×, which keeps the PNG small), shown at its CSS size.
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    c.width = c.offsetWidth * ratio;
    c.height = c.offsetHeight * ratio;
    c.getContext('2d')!.scale(ratio, ratio);
    const p = new SignaturePad(c, { penColor: '#111827', minWidth: 0.8, maxWidth: 2.5 });
    p.addEventListener('endStroke', () => {
      const png = p.toDataURL('image/png');
      const fits = dataUrlBytes(png) <= MAX_SIGNATURE_BYTES;
      setTooLarge(!fits);
      report.current(fits ? png : undefined);
    });
    pad.current = p;
    return () => p.off();
  }, []);

  const clear = () => {
    pad.current?.clear();
    setTooLarge(false);
    report.current(undefined);
  };
  return (
    <div class="field signature-field">
      <span class="field-label">{t('driver.signature')}</span>
      <canvas ref={canvas} class="signature-pad" aria-label={t('driver.signHere')} role="img" />
      <div class="row-between">
        <span class="muted small">{t('driver.signHere')}</span>
        <button type="button" class="small-button" onClick={clear}>
          {t('driver.clearSignature')}
        </button>
      </div>
      {tooLarge && <p class="error-note small">{t('driver.signatureTooLarge')}</p>}
    </div>
  );
}
