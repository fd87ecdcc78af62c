import { describe, expect, it } from 'vitest';
import { SlotConfigError, formatInvalid } from './errors';
import { createValidator, requireInteger, requireNumber, requireNumberIn, requireOneOf, requireSeed, validate } from './validate';

describe('the validation helper', () => {
  it('passes good values through, typed', () => {
    expect(requireInteger('k', 8, 1)).toBe(8);
    expect(requireNumber('lr', 0.1, { min: 0, minExclusive: true })).toBe(0.1);
    expect(requireOneOf('mode', 'a', ['a', 'b'] as const)).toBe('a');
    expect(requireSeed('seed', 2 ** 32 - 1)).toBe(2 ** 32 - 1);
    expect(validate.parseInteger('--k', '8', 1)).toBe(8);
    expect(validate.parseNumber('--lr', '1e-4', 0)).toBe(1e-4);
    expect(validate.parseNumber('--lr', 25, 0)).toBe(25);
  });

  it.each([
    [() => requireInteger('k', 2.5, 1), 'k: expected an integer >= 1, got 2.5'],
    [() => requireInteger('batch index', 7, { min: 0, max: 6 }), 'batch index: expected an integer in [0, 6], got 7'],
    [() => requireNumber('learningRate', -1, { min: 0, minExclusive: true }), 'learningRate: expected a number > 0, got -1'],
    [() => requireNumber('momentum', 1, { min: 0, max: 1, maxExclusive: true }), 'momentum: expected a number in [0, 1), got 1'],
    [() => requireNumber('x', Number.NaN), 'x: expected a number, got NaN'],
    [() => requireNumber('x', 3, { max: 2 }), 'x: expected a number <= 2, got 3'],
    [() => requireNumberIn('rate', 1, 0, 1, true), 'rate: expected a number in (0, 1), got 1'],
    [() => requireOneOf('init', 'he', ['paper', 'glorot-uniform']), "init: expected one of 'paper', 'glorot-uniform', got 'he'"],
    [() => requireSeed('seed', -1), 'seed: expected an integer seed in [0, 2^32), got -1'],
    [() => validate.parseInteger('--k', '2.5', 1), "--k: expected an integer >= 1, got '2.5'"],
    [() => validate.parseInteger('--k', '', 1), "--k: expected an integer >= 1, got ''"],
    [() => validate.parseNumber('--lr', 'fast', 0), "--lr: expected a number >= 0, got 'fast'"],
  ])('%# says field, expected and given', (check, message) => {
    expect(check).toThrow(SlotConfigError);
    expect(check).toThrow(message);
  });

  it('throws what a custom factory builds, with the same message', () => {
    class MyError extends Error {}
    const v = createValidator((field, expected, received) => new MyError(formatInvalid(field, expected, received)));
    expect(() => v.requireInteger('n', 0, 1)).toThrow(MyError);
    expect(() => v.requireInteger('n', 0, 1)).toThrow('n: expected an integer >= 1, got 0');
    expect(v.invalid('f', 'x', 'y')).toBeInstanceOf(MyError);
  });
});
