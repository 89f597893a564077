// The dashboard's answer: the one shape the server builds and the web app reads (imported type-only there).

export interface Dashboard {
  fillRateByTier: { tier: number; needs: number; asked: number; delivered: number; fillRate: number }[];
  fillRateByTierOverPlans: { planId: number; at: string; tiers: { tier: number; fillRate: number }[]; gini: number }[];
  giniOfFulfilment: number;
  timeToDeliveryHours: number | null;
  deliveredItems: number;
  kilometresByDay: { day: string; km: number; routes: number }[];
  daysOfCover: { commodityId: number; name: string; unit: string; available: number; inflowPerDay: number; outflowPerDay: number; days: number | null }[];
}
