/** Errors caused by a request (bad input, unknown model, ...): they carry the HTTP status to answer with. */
import { LeptonError } from "../i18n/index";

/** A {@link LeptonError} that a server answers with `status` instead of 500. */
export class RequestError extends LeptonError {
  readonly status: number;
  constructor(status: number, code: string, values: Record<string, unknown> = {}) {
    super(code, values);
    this.name = "RequestError";
    this.status = status;
  }
}
