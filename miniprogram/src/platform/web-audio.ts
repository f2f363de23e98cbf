/**
 * Two short beeps through Web Audio, for the dispatch console in a browser. Browsers keep audio
 * suspended until the page has had a tap; the console's 开启提示音 button provides that tap.
 */
type Ctx = { state: string; currentTime: number; destination: unknown; resume(): Promise<void>; createOscillator(): Osc; createGain(): Gain };
type Osc = { type: string; frequency: { value: number }; connect(n: unknown): unknown; start(t: number): void; stop(t: number): void };
type Gain = { gain: { setValueAtTime(v: number, t: number): void; exponentialRampToValueAtTime(v: number, t: number): void }; connect(n: unknown): unknown };

let ctx: Ctx | undefined;

export function webBeep(): void {
  const w = globalThis as unknown as { AudioContext?: new () => Ctx; webkitAudioContext?: new () => Ctx };
  const AC = w.AudioContext ?? w.webkitAudioContext;
  if (!AC) return;
  try {
    ctx ??= new AC();
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    const c = ctx;
    [0, 0.3].forEach((offset) => {
      const t = c.currentTime + offset;
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, t);
      gain.gain.exponentialRampToValueAtTime(0.001, t + 0.22);
      osc.connect(gain);
      gain.connect(c.destination);
      osc.start(t);
      osc.stop(t + 0.22);
    });
  } catch {
    // No sound device: the visual alert still shows.
  }
}
