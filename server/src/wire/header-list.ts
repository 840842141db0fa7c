/** Headers as on the wire: order, case and duplicates kept. */
export type HeaderList = [name: string, value: string][];
