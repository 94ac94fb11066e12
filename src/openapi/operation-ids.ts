/**
 * operationIds a client generator turns into good names: `contacts.create`, not
 * `ContactsController_create`. The resource is the controller's name without `Controller`, in
 * camelCase; the verb is the handler's name (unique per controller, so ids are unique).
 */
export function operationId(controllerKey: string, methodKey: string): string {
  const base = controllerKey.replace(/Controller$/, '');
  return `${base.charAt(0).toLowerCase()}${base.slice(1)}.${methodKey}`;
}
