/**
 * Paying a held appointment (`pending_payment`): the payments subpackage's 挂号费 cashier
 * (`payAppointment`) creates the order for purpose 'appointment', opens requestPayment /
 * tradePay / the H5 checkout, and ends on the payment result page, which polls the order and
 * leads back to the appointment detail.
 */
import type { AppointmentView } from '@hospital/shared';
import { navigate } from '../../navigation';

export async function startAppointmentPayment(a: Pick<AppointmentView, 'id'>): Promise<void> {
  await navigate('payAppointment', { appointmentId: a.id });
}
