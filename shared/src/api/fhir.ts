/**
 * FHIR R4 interoperability: a person's data as one Bundle another system can read.
 * The body is FHIR JSON (`application/fhir+json`), served as is, not reshaped by the contract.
 */
import * as z from 'zod';
import { route } from './contract';
import { AccessPurpose } from './records';

export const FhirBundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  total: z.number().int().optional(),
  entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: z.looseObject({ resourceType: z.string(), id: z.string().optional() }) })).optional(),
});
export type FhirBundle = z.infer<typeof FhirBundle>;

export const fhirRoutes = {
  everything: route({
    method: 'GET',
    path: '/v1/fhir/Patient/{patientId}/$everything',
    access: ['patient', 'doctor', 'nurse'], person: 'verified',
    query: z.object({ purpose: AccessPurpose.optional() }),
    response: FhirBundle,
    summary:
      'Patient/$everything: the person, their reports and observations, allergies, conditions and medications as a FHIR R4 searchset Bundle (a patient for their own people; staff with record and reports access, audited)',
  }),
};
