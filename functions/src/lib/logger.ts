import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Log ids, routes, statuses and outcomes — never bodies, tokens, ID numbers,
 * phone numbers or health data (events carry all of them).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'internet-hospital' });
