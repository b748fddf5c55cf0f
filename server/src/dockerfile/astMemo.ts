import { Instruction, type Argument } from 'dockerfile-ast';

/**
 * dockerfile-ast recomputes an instruction's raw arguments from the text on every accessor call
 * (getArgumentsContent, getArgumentsRange, getFlags, getHeredocs, getJSONStrings… each do), about
 * fifteen times per instruction for one model: on a 5 MB file that is seconds. An instruction's
 * text never changes after parsing, so the result is computed once per instruction. Callers get a
 * copy, because ModifiableInstruction.getArguments shifts its flags off the array it receives.
 */
type WithRaw = { getRawArguments(): Argument[] };

const proto = Instruction.prototype as unknown as WithRaw;
export const originalRawArguments: (this: Instruction) => Argument[] = proto.getRawArguments;
const memo = new WeakMap<object, Argument[]>();

if (!(proto.getRawArguments as { memoized?: boolean }).memoized) {
  const memoized = function (this: Instruction): Argument[] {
    let args = memo.get(this);
    if (!args) {
      args = originalRawArguments.call(this);
      memo.set(this, args);
    }
    return args.slice();
  };
  (memoized as { memoized?: boolean }).memoized = true;
  proto.getRawArguments = memoized;
}
