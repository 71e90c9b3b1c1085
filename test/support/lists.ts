/** The item at `index` (negative counts from the end); a missing one fails the test with a message. */
export function itemAt<T>(items: readonly T[], index: number): T {
  const item = items.at(index);
  if (item === undefined) throw new Error(`No item at ${index} of ${items.length}`);
  return item;
}
