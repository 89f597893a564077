// A handover sheet as a printable PDF in zh or en: what to take from the gate, then each walking route's
// doors in walking order, trip by trip, with a QR code per pending stop that records its outcome from any
// phone, and boxes to tick by hand when no phone is at hand.
import QRCode from 'qrcode';
import type { Lang } from '../residents/resident-texts.ts';
import { contentWidth, ensureSpace, finishPdf, MARGIN, newPdf, note, subheading, table, title, type Pdf } from '../http/pdf.ts';
import type { Sheet } from './handover.service.ts';

const texts = {
  en: {
    title: (s: Sheet) => (s.routes.length === 1 && !s.wholeGate ? `Handover sheet · ${s.routes[0]!.walker}` : `Handover sheet · gate ${s.gate ?? ''}`),
    subtitle: (s: Sheet, at: (iso: string) => string) =>
      `Plan #${s.planId}${s.gate ? ` · gate: ${s.gate}` : ''} · printed ${at(new Date().toISOString())} · the codes work until ${at(s.expiresAt)}, or until this sheet is printed again`,
    how: "Scan a stop's code with any phone camera to record the delivery: who took the goods (the recipient, a neighbour or the building leader), or why it failed. Record each stop once; no app or account is needed.",
    take: 'To take from the gate',
    route: (id: number, walker: string) => `Walking route #${id} · ${walker}`,
    trip: (n: number) => `Trip ${n}`,
    commodity: 'Commodity',
    quantity: 'Quantity',
    scan: 'scan to record',
    delivered: 'Delivered',
    failed: 'Not delivered',
    by: 'received by:',
    done: (status: string, reason: string | null) => (status === 'delivered' ? 'Already delivered' : `Already failed${reason ? ` (${reason})` : ''}`),
    page: (n: number, of: number) => `Lifeline · handover sheet · page ${n} / ${of}`,
  },
  zh: {
    title: (s: Sheet) => (s.routes.length === 1 && !s.wholeGate ? `交接单 · ${s.routes[0]!.walker}` : `交接单 · 门岗 ${s.gate ?? ''}`),
    subtitle: (s: Sheet, at: (iso: string) => string) =>
      `方案 #${s.planId}${s.gate ? ` · 门岗：${s.gate}` : ''} · 打印于 ${at(new Date().toISOString())} · 二维码有效至 ${at(s.expiresAt)}，重新打印后旧单作废`,
    how: '用任意手机相机扫描每户的二维码即可登记：谁签收（本人、邻居或楼栋长），或未送达的原因。每户只登记一次，无需安装应用或登录。',
    take: '在门岗领取',
    route: (id: number, walker: string) => `步行路线 #${id} · ${walker}`,
    trip: (n: number) => `第 ${n} 趟`,
    commodity: '物资',
    quantity: '数量',
    scan: '扫码登记',
    delivered: '已送达',
    failed: '未送达',
    by: '签收人：',
    done: (status: string, reason: string | null) => (status === 'delivered' ? '已送达' : `未送达${reason ? `（${reason}）` : ''}`),
    page: (n: number, of: number) => `Lifeline · 交接单 · 第 ${n} / ${of} 页`,
  },
} as const;

const QR = 74;
const STOP_HEIGHT = QR + 14;

/** The sheet; `link` turns a stop's code into the address its QR code opens. */
export async function sheetPdf(sheet: Sheet, lang: Lang, link: (code: string) => string, timeZone: string): Promise<Buffer> {
  const t = texts[lang];
  const at = (iso: string) => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' });
  const doc = newPdf(t.title(sheet));
  title(doc, t.title(sheet), t.subtitle(sheet, at));
  note(doc, t.how);

  subheading(doc, t.take);
  const totals = new Map<string, number>();
  for (const item of sheet.routes.flatMap((r) => r.stops.filter((s) => s.status === 'pending').flatMap((s) => s.items))) {
    const key = `${item.commodity} (${item.unit})`;
    totals.set(key, (totals.get(key) ?? 0) + item.quantity);
  }
  table(doc, [{ header: t.commodity, width: 0.75, wrap: true }, { header: t.quantity, width: 0.25, align: 'right' }], [...totals].map(([k, q]) => [k, String(q)]), '—');

  for (const route of sheet.routes) {
    subheading(doc, t.route(route.id, route.walker), STOP_HEIGHT);
    let trip: number | null | undefined;
    for (const stop of route.stops) {
      if (stop.trip !== trip) {
        trip = stop.trip;
        if (trip !== null) tripLabel(doc, t.trip(trip));
      }
      const code = sheet.codes.get(stop.id);
      await stopBlock(doc, {
        seq: stop.seq,
        name: stop.recipient?.name ?? '',
        address: stop.recipient?.address ?? '',
        // The unit in brackets: "× 2 (400 g can)", never "× 2 400 g can".
        items: stop.items.map((i) => `${i.commodity} × ${i.quantity} (${i.unit})`).join('   '),
        qr: code === undefined ? undefined : await QRCode.toBuffer(link(code), { margin: 1, width: 240, errorCorrectionLevel: 'M' }),
        done: code === undefined ? t.done(stop.status, stop.reason) : undefined,
        t,
      });
    }
  }
  return finishPdf(doc, t.page);
}

function tripLabel(doc: Pdf, text: string): void {
  ensureSpace(doc, STOP_HEIGHT + 16);
  doc.font('bold').fontSize(9).fillColor('#1f6fb2').text(text, MARGIN, doc.y + 2, { width: contentWidth(doc) });
  doc.moveDown(0.2);
}

/** One door: its number in walking order, who and where, what to hand over, its QR code, and boxes for pen and paper. */
async function stopBlock(doc: Pdf, stop: { seq: number; name: string; address: string; items: string; qr: Buffer | undefined; done: string | undefined; t: (typeof texts)[Lang] }): Promise<void> {
  ensureSpace(doc, STOP_HEIGHT);
  const top = doc.y;
  const width = contentWidth(doc);
  const textLeft = MARGIN + 34;
  const textWidth = width - 34 - QR - 12;
  doc.font('bold').fontSize(18).fillColor('black').text(String(stop.seq), MARGIN, top + 4, { width: 30, align: 'center', lineBreak: false });
  doc.font('bold').fontSize(11).text(stop.name, textLeft, top + 4, { width: textWidth, lineBreak: false, ellipsis: true, height: 14 });
  doc.font('regular').fontSize(9).fillColor('#333333').text(stop.address, textLeft, top + 20, { width: textWidth, lineBreak: false, ellipsis: true, height: 12 });
  doc.fillColor('black').text(stop.items, textLeft, top + 34, { width: textWidth, height: 24, ellipsis: true });
  // For pen and paper: tick one box, write who took it.
  const boxY = top + QR - 12;
  let x = textLeft;
  for (const label of [stop.t.delivered, stop.t.failed]) {
    doc.rect(x, boxY, 9, 9).lineWidth(0.7).strokeColor('#555555').stroke();
    doc.fontSize(8.5).fillColor('#333333').text(label, x + 13, boxY, { lineBreak: false });
    x += 13 + doc.widthOfString(label) + 18;
  }
  doc.text(stop.t.by, x, boxY, { lineBreak: false });
  x += doc.widthOfString(stop.t.by) + 4;
  doc.moveTo(x, boxY + 9).lineTo(textLeft + textWidth, boxY + 9).lineWidth(0.5).strokeColor('#999999').stroke();
  const qrLeft = MARGIN + width - QR;
  if (stop.qr) {
    doc.image(stop.qr, qrLeft, top + 2, { width: QR, height: QR });
    doc.fontSize(7).fillColor('#666666').text(stop.t.scan, qrLeft, top + QR + 2, { width: QR, align: 'center', lineBreak: false });
  } else {
    doc.font('bold').fontSize(9).fillColor('#2e9e5b').text(stop.done ?? '', qrLeft - 20, top + QR / 2 - 6, { width: QR + 20, align: 'center' });
  }
  doc.moveTo(MARGIN, top + STOP_HEIGHT - 2).lineTo(MARGIN + width, top + STOP_HEIGHT - 2).lineWidth(0.3).strokeColor('#cccccc').stroke();
  doc.font('regular').fillColor('black');
  doc.x = MARGIN;
  doc.y = top + STOP_HEIGHT;
}
