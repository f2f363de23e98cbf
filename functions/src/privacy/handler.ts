import { api, ConsentPurpose, fieldErrors } from '@hospital/shared';
import { HttpError } from '#lib/errors';
import { featureHandler } from '#lib/http/index';
import * as privacy from './service';

/** The `{purpose}` path segment, as the payments handler reports its `params.date`. */
const purposeOf = (raw: string | undefined) => {
  const r = ConsentPurpose.safeParse(raw);
  if (!r.success) throw new HttpError(400, 'VALIDATION_FAILED', '未知的授权项目', fieldErrors(r.error.issues, 'params.purpose'));
  return r.data;
};

export const handler = featureHandler(api.privacy, {
  get: ({ principal }) => privacy.view(principal.userId),
  accept: ({ principal, body }) => privacy.accept(principal.userId, body),
  consent: async ({ principal, params, body }) => privacy.setConsent(principal.userId, purposeOf(params.purpose), body.granted),
  exportData: ({ principal }) => privacy.exportData(principal),
  requestCorrection: ({ principal, body }) => privacy.requestCorrection(principal.userId, body),
  corrections: ({ principal }) => privacy.corrections(principal.userId),
  deleteAccount: ({ principal }) => privacy.deleteAccount(principal.userId),
});
