import { expect } from 'chai';
import { buildSchema, isEnumType } from 'graphql';
import { readFile } from 'node:fs/promises';
import { request, ok } from '../../support/client.js';

describe('error codes in the schema', () => {
  it('lists every extensions.code as the described ErrorCode enum, and answers errorCodes without credentials', async () => {
    const schema = buildSchema(await readFile('schema/schema.graphql', 'utf8'));
    const errorCode = schema.getType('ErrorCode');
    if (!isEnumType(errorCode)) throw new Error('ErrorCode is not an enum');
    for (const value of errorCode.getValues()) expect(value.description, value.name).to.be.a('string').and.not.equal('');
    const { errorCodes } = ok(await request<{ errorCodes: string[] }>('{ errorCodes }'));
    expect(errorCodes).to.have.members(errorCode.getValues().map((value) => value.name));
    expect(errorCodes).to.include.members(['UNAUTHENTICATED', 'TENANT_MISMATCH', 'BAD_USER_INPUT', 'TRUSTED_DOCUMENT_REQUIRED']);
  });
});
