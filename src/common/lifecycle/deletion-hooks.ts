/** A clean-up another module runs when something it depends on is deleted. */
export type DeletionHook<Args extends unknown[]> = (...args: Args) => Promise<void>;

/**
 * Lets a module that depends on another (contacts on tags, conversations and messages on
 * contacts) clean up inside the delete call itself, without the deleting module depending on
 * it. Hooks run in registration order and are awaited: the HTTP answer comes after the cleanup,
 * and a hook that fails stops the delete before the deleted document goes.
 */
export class DeletionHooks<Args extends unknown[]> {
  private readonly hooks: DeletionHook<Args>[] = [];

  onDeleted(hook: DeletionHook<Args>): void {
    this.hooks.push(hook);
  }

  protected async runDeleted(...args: Args): Promise<void> {
    for (const hook of this.hooks) await hook(...args);
  }
}
