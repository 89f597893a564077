// The community worker's decision on what a resident asked.
import { z } from 'zod';

export const askDecision = z.strictObject({ decision: z.enum(['confirm', 'decline']) });
