// An answer with a status of its own (e.g. 202 for work that goes on after the answer), which a handler
// returns instead of its body when the endpoint's usual status does not fit.
export class Reply<T = unknown> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}
