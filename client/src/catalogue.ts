// The catalogue most screens pick from: every warehouse and every commodity, loaded once per screen.
import { getAll } from './api.ts';
import type { Commodity, Warehouse } from './types.ts';
import { useLoad } from './components/ui.tsx';

export function useCatalogue() {
  return useLoad(async () => {
    const [warehouses, commodities] = await Promise.all([getAll<Warehouse>('/warehouses'), getAll<Commodity>('/commodities')]);
    return { warehouses, commodities };
  }, []);
}
