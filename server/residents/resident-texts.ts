// Every sentence the server writes for residents and for people asking to be registered, outside a request's
// status (resident-status.ts): refusals, notices and outcomes, in zh and en, chosen by the reader's language.
import type { ErrorRequestHandler, Request } from 'express';
import { HttpError, ValidationError, toHttpError, type ErrorCode } from '../http/errors.ts';

export type Lang = 'en' | 'zh';
export const langs = ['en', 'zh'] as const;

/** The reader's language: ?lang=, else the best of Accept-Language, else English. */
export const readerLang = (req: Request, asked: Lang | undefined): Lang => asked ?? (req.acceptsLanguages('en', 'zh') === 'zh' ? 'zh' : 'en');

const texts = {
  en: {
    unknownCode: () => 'This link is not valid (any more). Ask your community worker for a new slip.',
    tooManyCodes: (s: number) => `Too many wrong codes from this network; try again in ${s} s.`,
    tooManyForCode: (s: number) => `This page was opened too often in a short time; try again in ${s} s.`,
    notOpen: () => 'This item cannot be asked for here. Ask your community worker.',
    perHousehold: (max: number, unit: string) => `A household may ask for at most ${max} × ${unit} at once.`,
    perDay: (left: number, unit: string) =>
      left > 0 ? `Only ${left} × ${unit} can still be asked for today. Ask for less, or try again tomorrow.` : 'Nothing more of this can be asked for today. Try again tomorrow.',
    askedMore: (requested: number, unit: string) => `You asked for ${requested} × ${unit}. A community worker will confirm the change.`,
    urgentPending: () => 'Marked urgent (medical). A community worker will call or visit to confirm.',
    urgentConfirmed: () => 'Urgent (medical): confirmed by your community.',
    phoneUpdated: () => 'Your contact phone was updated.',
    phoneKept: () => 'Your community worker set this phone number; they will review your change.',
    tooManyRegistrations: (s: number) => `Too many registrations from this network; try again in ${s} s.`,
    unknownReference: () => 'No registration has this reference. Check the reference you were given.',
    invalid: (fields: string) => `Please check: ${fields}.`,
    inProgress: () => 'Your request is still being handled; try again in a moment.',
    answerLost: () => 'Your request was received, but its answer was lost. Reload the page to see it.',
    keyReused: () => 'This was already sent with other details. Reload the page and send it again.',
    cannotSave: () => 'This could not be saved as it is. Please ask your community worker.',
    unknownCommunity: () => 'Choose your community from the list.',
    registrationPending: () => 'Received. A community worker will check your registration and may call you.',
    registrationApproved: () => 'You are registered. Your community worker will bring you a slip with the link to your own page.',
    registrationMerged: () => 'Your community already knew your household: your details were added to it. Ask your community worker for your slip if you have none.',
    registrationRejected: () => 'Your community could not register you. Please contact your community worker.',
    campaignEntered: () => 'Entered. Keep your receipt: the draw is made when the campaign closes, by need first, then by lot.',
    campaignWon: (given: number, unit: string) => `Drawn: ${given} × ${unit} will be brought to you. It is listed with your requests.`,
    campaignWaiting: (place: number) => `Not drawn this time. You are number ${place} on the waiting list: if a winner's delivery fails, the next on the list receives it.`,
    campaignForfeited: () => 'The delivery to you could not be made, so your share passed to the next on the waiting list.',
  },
  zh: {
    unknownCode: () => '此链接无效或已失效。请向社区工作人员索取新的通知单。',
    tooManyCodes: (s: number) => `此网络输入错误代码次数过多；请 ${s} 秒后再试。`,
    tooManyForCode: (s: number) => `此页面短时间内打开次数过多；请 ${s} 秒后再试。`,
    notOpen: () => '此物品不能在这里申请。请联系社区工作人员。',
    perHousehold: (max: number, unit: string) => `每户每次最多申请 ${max} × ${unit}。`,
    perDay: (left: number, unit: string) => (left > 0 ? `今天只能再申请 ${left} × ${unit}。请减少数量，或明天再试。` : '今天此物品已不能再申请。请明天再试。'),
    askedMore: (requested: number, unit: string) => `您申请了 ${requested} × ${unit}。社区工作人员将确认此更改。`,
    urgentPending: () => '已标记为紧急（医疗）。社区工作人员将致电或上门确认。',
    urgentConfirmed: () => '紧急（医疗）：社区已确认。',
    phoneUpdated: () => '您的联系电话已更新。',
    phoneKept: () => '此电话号码由社区工作人员设置；他们会审核您的更改。',
    tooManyRegistrations: (s: number) => `此网络提交的登记过多；请 ${s} 秒后再试。`,
    unknownReference: () => '没有此编号的登记。请核对您收到的编号。',
    invalid: (fields: string) => `请检查：${fields}。`,
    inProgress: () => '您的申请仍在处理中；请稍后再试。',
    answerLost: () => '您的申请已收到，但回复丢失了。请刷新页面查看。',
    keyReused: () => '这份申请已用其他内容提交过。请刷新页面后重新提交。',
    cannotSave: () => '无法按原样保存。请联系社区工作人员。',
    unknownCommunity: () => '请从列表中选择您的社区。',
    registrationPending: () => '已收到。社区工作人员将核实您的登记，可能会给您打电话。',
    registrationApproved: () => '您已登记。社区工作人员将送来一张通知单，上面有您专属页面的链接。',
    registrationMerged: () => '社区已有您家的记录：您的信息已补充进去。如您没有通知单，请向社区工作人员索取。',
    registrationRejected: () => '社区未能为您登记。请联系社区工作人员。',
    campaignEntered: () => '已登记。请保留回执号：活动截止时抽签，先按需要程度，再抽签决定。',
    campaignWon: (given: number, unit: string) => `已中签：${given} × ${unit} 将送到您家。它已列入您的申请中。`,
    campaignWaiting: (place: number) => `本次未中签。您在候补名单上排第 ${place} 位：如有中签者无法送达，将依次递补。`,
    campaignForfeited: () => '未能送达您家，您的份额已转给候补名单上的下一户。',
  },
} satisfies Record<Lang, Record<string, (...args: never[]) => string>>;

type Texts = (typeof texts)['en'];

/** A sentence for residents in their language. */
export function say<K extends keyof Texts>(lang: Lang, key: K, ...args: Parameters<Texts[K]>): string {
  return (texts[lang][key] as (...a: Parameters<Texts[K]>) => string)(...args);
}

/** The words for the fields residents fill in, for refusals that name them. */
const fieldWords: Record<Lang, Record<string, string>> = {
  en: { commodityId: 'the item', quantity: 'how many', urgent: 'urgent', phone: 'the phone number', name: 'the name', address: 'the address', people: 'the number of people', community: 'the community' },
  zh: { commodityId: '物品', quantity: '数量', urgent: '紧急', phone: '电话号码', name: '姓名', address: '地址', people: '家庭人数', community: '社区' },
};

/** Refusals already written in the reader's language where they are raised. */
const spokenAlready: ErrorCode[] = ['not-found', 'too-many-attempts', 'over-limit'];

/** A refusal to a resident in their language: the detail rewritten, the stable code and the field problems kept. */
export function inReaderLanguage(error: HttpError, lang: Lang): HttpError {
  if (spokenAlready.includes(error.code)) return error;
  const detail =
    error instanceof ValidationError
      ? say(lang, 'invalid', [...new Set(error.errors.map((e) => fieldWords[lang][e.field.split('.').pop()!] ?? e.field.split('.').pop()!))].join(lang === 'zh' ? '、' : ', '))
      : say(lang, ({ 'in-progress': 'inProgress', 'answer-lost': 'answerLost', 'idempotency-key-reused': 'keyReused' } as const)[error.code as string] ?? 'cannotSave');
  return new HttpError(error.status, error.code, error.title, detail, error.extra);
}

/** Error middleware for the routers of residents' public pages: their refusals (under `paths`) in the reader's language. */
export function speakResidentsLanguage(paths: RegExp): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const known = paths.test(req.path) ? toHttpError(error) : undefined;
    const asked = req.query.lang;
    next(known && known.status < 500 ? inReaderLanguage(known, readerLang(req, asked === 'zh' || asked === 'en' ? asked : undefined)) : error);
  };
}

/** An unknown, malformed or revoked code: 404 in the reader's language, the same answer whichever it was. */
export const unknownCode = (lang: Lang) => new HttpError(404, 'not-found', 'Not found', say(lang, 'unknownCode'));
