import { InvalidArgumentError } from 'commander';

/**
 * A commander parser for an option that takes a whole number of at least `min`: anything else
 * is a usage error saying what to give (`--limit abc`: "… is invalid. Give a whole number of at
 * least 1, e.g. --limit 50.").
 */
export function wholeNumber(flag: string, min: number, example: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(number) || number < min) {
      throw new InvalidArgumentError(`Give a whole number of at least ${min}, e.g. ${flag} ${example}.`);
    }
    return number;
  };
}
