export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
