// Where a household's request stands, in plain words for the resident: the one place that turns a need,
// the latest plan that weighed it and the stops that carry it into a status and a sentence, in zh and en.
import type { Lang } from './resident-texts.ts';

/** The source a need carries when a resident asked for it. */
export const RESIDENT_SOURCE = 'resident';

export type ResidentStatus = 'received' | 'confirmed' | 'planned' | 'waiting' | 'on_its_way' | 'delivered' | 'failed' | 'cancelled';

/** One stop that carries the need: a vehicle's (to the door or to a sealed zone's gate) or a volunteer's walk from the gate. */
export interface Leg {
  kind: 'delivery' | 'gate' | 'door';
  status: 'pending' | 'delivered' | 'failed';
  reason: string | null;
  /** Expected arrival, seconds after local midnight (none for a walk from the gate). */
  etaS: number | null;
  gate: string | null;
  routeStatus: string;
  routeKind: 'vehicle' | 'walking';
  /** Who took the goods and when (by the driver's phone), once delivered with proof. */
  handover?: Handover;
}

export interface Handover {
  at: string;
  handedTo: 'recipient' | 'neighbour' | 'building_leader';
  receiverName: string;
}

export interface NeedFacts {
  id: number;
  commodity: string;
  unit: string;
  quantity: number;
  fulfilled: number;
  status: 'open' | 'fulfilled' | 'cancelled';
  /** False while only a resident asked for it and no community worker confirmed it yet. */
  confirmed: boolean;
  /** A larger quantity the household asked for, waiting for a community worker. */
  requested: number | null;
  updatedAt: string;
  /** The latest approved or dispatched plan that weighed the need: what it allocated, or why not (the solver's reason). */
  plan?: { status: 'approved' | 'dispatched'; allocated: number; unmetReason: string | null };
  /** That plan's stops for the need, in order. */
  legs: Leg[];
}

interface Vars {
  quantity: number;
  fulfilled: number;
  allocated: number;
  unit: string;
  gate: string;
  reason: string;
  /** "10:30–11:30", or '' when no time is known. */
  window: string;
  /** When it was handed over ("2 Dec 2026, 10:42") and to whom, in the reader's words. */
  at: string;
  to: string;
}

type Sentence = (v: Vars) => string;

const failureReasons: Record<Lang, Record<string, string>> = {
  en: {
    nobody_home: 'nobody was home',
    road_blocked: 'the road was blocked',
    refused: 'the delivery was refused',
    volunteer_no_show: 'the volunteer who was to bring it did not come',
    recalled: 'the goods were recalled before they reached you',
    other: 'the driver could not hand it over',
  },
  zh: { nobody_home: '家中无人', road_blocked: '道路受阻', refused: '配送被拒收', volunteer_no_show: '负责送货的志愿者未到', recalled: '物资在送达前被召回', other: '司机未能交付' },
};

/** Every sentence a resident reads about a request. */
const sentences = {
  en: {
    received: () => 'Received. A community worker will confirm your request.',
    confirmed: () => 'Confirmed by your community. It goes into the next delivery plan.',
    planned: (v) => `In today's delivery plan${v.window ? `, expected ${v.window}` : ''}.`,
    plannedPart: (v) => `In today's delivery plan: ${v.allocated} of ${v.quantity} ${v.unit}${v.window ? `, expected ${v.window}` : ''}. The rest waits for the next plan.`,
    outranked: () => 'Not in today\'s plan yet: stock is short, and households with more vulnerable members are served first. You stay in line for the next plan.',
    no_stock: () => 'Not in today\'s plan yet: there is not enough in stock nearby. You stay in line and are served as soon as supplies arrive.',
    capacity: () => 'Not in today\'s plan yet: today\'s vehicles are full. You stay in line for the next trip.',
    handover: () => 'Not in today\'s plan yet: the volunteers at your gate cannot carry in more today. You stay in line for the next plan.',
    unreachable: () => 'Not in today\'s plan yet: vehicles cannot reach your address today. Your community is looking for another way.',
    toDoor: (v) => `On its way: the vehicle has left${v.window ? ` and is expected at your door ${v.window}` : ''}.`,
    toGate: (v) => `On its way: the vehicle has left for ${v.gate}${v.window ? `, expected there ${v.window}` : ''}. A volunteer then brings it to your door.`,
    atGate: (v) => `Arrived at ${v.gate}. A volunteer will bring it to your door.`,
    walking: (v) => `On its way: a volunteer is bringing it from ${v.gate} to your door.`,
    delivered: () => 'Delivered.',
    deliveredTo: (v) => `Delivered at ${v.at} to ${v.to}.`,
    deliveredPart: (v) => `${v.fulfilled} of ${v.quantity} ${v.unit} delivered. The rest goes into the next plan.`,
    failed: (v) => `Delivery failed: ${v.reason}. The goods went back to the warehouse; your request stays open and goes into the next plan.`,
    cancelled: () => 'Cancelled: this request is closed.',
    declined: () => 'Your community could not accept this request. Ask your community worker if you still need it.',
  },
  zh: {
    received: () => '已收到。社区工作人员将确认您的需求。',
    confirmed: () => '社区已确认，将排入下一次配送计划。',
    planned: (v) => `已排入今天的配送计划${v.window ? `，预计 ${v.window} 送达` : ''}。`,
    plannedPart: (v) => `已排入今天的配送计划：${v.quantity} ${v.unit} 中的 ${v.allocated}${v.window ? `，预计 ${v.window} 送达` : ''}。其余部分等待下一次计划。`,
    outranked: () => '暂未排入今天的计划：物资紧缺，家中有更脆弱成员的住户优先。您仍在队列中，等待下一次计划。',
    no_stock: () => '暂未排入今天的计划：附近库存不足。您仍在队列中，物资一到即为您配送。',
    capacity: () => '暂未排入今天的计划：今天的车辆已满载。您仍在队列中，等待下一趟。',
    handover: () => '暂未排入今天的计划：您所在门口的志愿者今天无法再搬运更多物资。您仍在队列中，等待下一次计划。',
    unreachable: () => '暂未排入今天的计划：今天车辆无法到达您的地址。社区正在想其他办法。',
    toDoor: (v) => `配送中：车辆已出发${v.window ? `，预计 ${v.window} 送到您家门口` : ''}。`,
    toGate: (v) => `配送中：车辆已出发前往 ${v.gate}${v.window ? `，预计 ${v.window} 到达` : ''}。随后由志愿者送到您家门口。`,
    atGate: (v) => `已到达 ${v.gate}。志愿者将送到您家门口。`,
    walking: (v) => `配送中：志愿者正从 ${v.gate} 送到您家门口。`,
    delivered: () => '已送达。',
    deliveredTo: (v) => `已于 ${v.at} 送达，签收人：${v.to}。`,
    deliveredPart: (v) => `已送达 ${v.quantity} ${v.unit} 中的 ${v.fulfilled}。其余部分排入下一次计划。`,
    failed: (v) => `配送未成功：${v.reason}。物资已退回仓库；您的需求仍然有效，将排入下一次计划。`,
    cancelled: () => '已取消：此需求已关闭。',
    declined: () => '社区未能接受此需求。如仍有需要，请联系社区工作人员。',
  },
} satisfies Record<Lang, Record<string, Sentence>>;

type SentenceKey = keyof (typeof sentences)['en'];

/** The day a thing happened, as the reader writes dates. */
const day = (lang: Lang, at: string) => new Date(at).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

/** The warning for goods a household received that were recalled. */
export function recallText(lang: Lang, recall: { commodity: string; deliveredAt: string; reason: string }): string {
  const on = day(lang, recall.deliveredAt);
  return lang === 'zh'
    ? `召回通知：${on} 送达给您的 ${recall.commodity} 已被召回（${recall.reason}）。请勿使用；社区工作人员会联系您并补发。`
    : `Recall: the ${recall.commodity} delivered to you on ${on} has been recalled (${recall.reason}). Do not use it; your community worker will contact you and replace it.`;
}

export interface Described {
  status: ResidentStatus;
  key: SentenceKey;
  /** The gate and time window, when known. */
  gate?: string;
  etaS?: number;
  reason?: string;
  handover?: Handover;
}

/** The status of one request, from the most advanced fact known about it. */
export function describe(need: NeedFacts): Described {
  if (need.status === 'cancelled') return { status: 'cancelled', key: need.confirmed ? 'cancelled' : 'declined' };
  if (need.status === 'fulfilled') return delivered(need.legs.find((l) => l.kind !== 'gate' && l.status === 'delivered'));
  const onRoute = need.plan?.status === 'dispatched' ? fromLegs(need) : undefined;
  if (onRoute) return onRoute;
  if (need.plan) {
    const { allocated, unmetReason } = need.plan;
    if (allocated === 0) return { status: 'waiting', key: waitingKey(unmetReason) };
    return { status: 'planned', key: allocated < need.quantity - need.fulfilled ? 'plannedPart' : 'planned' };
  }
  return need.confirmed ? { status: 'confirmed', key: 'confirmed' } : { status: 'received', key: 'received' };
}

function waitingKey(reason: string | null): SentenceKey {
  return reason === 'outranked' || reason === 'capacity' || reason === 'handover' || reason === 'unreachable' ? reason : 'no_stock';
}

/** On a dispatched plan: the vehicle's stop (to the door or the gate) and, behind a gate, the volunteer's walk to the door. */
function fromLegs(need: NeedFacts): Described | undefined {
  const vehicle = need.legs.find((l) => l.kind !== 'door');
  const door = need.legs.find((l) => l.kind === 'door');
  if (!vehicle) return undefined;
  const failed = [vehicle, door].find((l) => l?.status === 'failed');
  if (failed) return { status: 'failed', key: 'failed', reason: failed.reason ?? 'other' };
  const gate = vehicle.gate ?? undefined;
  const handedOver = door?.status === 'delivered' ? door : vehicle.kind === 'delivery' && vehicle.status === 'delivered' ? vehicle : undefined;
  if (handedOver) return need.fulfilled < need.quantity ? { status: 'delivered', key: 'deliveredPart' } : delivered(handedOver);
  if (vehicle.status === 'delivered') {
    return door && door.routeStatus === 'accepted' ? { status: 'on_its_way', key: 'walking', gate } : { status: 'on_its_way', key: 'atGate', gate };
  }
  const etaS = vehicle.etaS ?? undefined;
  if (vehicle.routeStatus === 'picked_up') return { status: 'on_its_way', key: vehicle.kind === 'gate' ? 'toGate' : 'toDoor', gate, etaS };
  return { status: 'planned', key: need.plan!.allocated < need.quantity - need.fulfilled ? 'plannedPart' : 'planned', etaS };
}

/** Delivered in full: when and to whom, if the handover was recorded with proof. */
const delivered = (leg: Leg | undefined): Described =>
  leg?.handover ? { status: 'delivered', key: 'deliveredTo', handover: leg.handover } : { status: 'delivered', key: 'delivered' };

const HALF_HOUR_S = 1800;
const clock = (s: number) => {
  const minutes = Math.floor(s / 60) % (24 * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/** An hour-long window from the half hour before the expected arrival: a promise a resident can plan around. */
export function timeWindow(etaS: number): string {
  const from = Math.floor(etaS / HALF_HOUR_S) * HALF_HOUR_S;
  return `${clock(from)}–${clock(from + 2 * HALF_HOUR_S)}`;
}

/** The status sentence in the reader's language. */
export function statusText(need: NeedFacts, described: Described, lang: Lang): string {
  const sentence: Sentence = sentences[lang][described.key];
  return sentence({
    quantity: need.quantity,
    fulfilled: need.fulfilled,
    allocated: need.plan?.allocated ?? 0,
    unit: need.unit,
    gate: described.gate ?? '',
    reason: failureReasons[lang][described.reason ?? 'other'] ?? failureReasons[lang].other!,
    window: described.etaS === undefined ? '' : timeWindow(described.etaS),
    at: described.handover ? dateTime(lang, described.handover.at) : '',
    to: described.handover ? receiver(lang, described.handover) : '',
  });
}

const dateTime = (lang: Lang, at: string) => new Date(at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });

const handedTo = {
  en: { recipient: (name: string) => name, neighbour: (name: string) => `your neighbour ${name}`, building_leader: (name: string) => `the building leader ${name}` },
  zh: { recipient: (name: string) => name, neighbour: (name: string) => `邻居 ${name}`, building_leader: (name: string) => `楼栋长 ${name}` },
};

/** Who took the goods, as the household reads it. */
const receiver = (lang: Lang, handover: Handover) => handedTo[lang][handover.handedTo](handover.receiverName);
