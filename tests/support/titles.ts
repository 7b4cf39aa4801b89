/**
 * Table tests print their inputs in their titles; fixtures include URLs with (fake) passwords, and no
 * password may reach the test output. These helpers mask URL userinfo in what a title shows.
 */
export function maskedForTitle(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/"]*@/gi, "$1*****@")
    // userinfo of an address written without a scheme (user:token@host/path)
    .replace(/^"([^\s/"@]*:[^\s/"]*)@/, '"*****@');
}

/** Prepends to each row a title text: its first cell, masked. Use "%s" once in the title. */
export function titledByFirstCell<Row extends readonly unknown[]>(rows: readonly Row[]): Array<[string, ...Row]> {
  return rows.map((row) => [maskedForTitle(row[0]), ...row] as [string, ...Row]);
}
