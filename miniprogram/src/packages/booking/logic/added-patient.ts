/** The person just added on the form, so the confirm page underneath selects them on return. */
let added: string | undefined;

export const rememberAddedPatient = (patientId: string) => {
  added = patientId;
};

export function takeAddedPatient(): string | undefined {
  const id = added;
  added = undefined;
  return id;
}
