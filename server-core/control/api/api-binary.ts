/** A handler's answer that is not JSON (a JPEG snapshot): sent as it is, with its content type. */
export class ApiBinary {
  constructor(
    readonly contentType: string,
    readonly body: Buffer,
  ) {}
}
