import { inject } from 'vitest';

// Before any module under test builds its SDK client.
process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamoEndpoint');
process.env.AWS_REGION = 'cn-northwest-1';
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
process.env.TABLE_NAME = 'internet-hospital-test';
process.env.STAGE = 'test';
process.env.JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
// 实名认证 keys (lib/identity-keys.ts): fixed for tests, never the local stack's files.
process.env.PERSON_KEY_SECRET = 'test-person-key-secret-0123456789abcdef';
process.env.FIELD_DATA_KEY = Buffer.alloc(32, 7).toString('base64');
// Held lab reports go to the lab desk of one test hospital unless a test maps its own source.
process.env.LAB_SOURCE_ORGS ??= '*=org-city';
