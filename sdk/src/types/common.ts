/** Dates arrive as ISO-8601 strings (JSON). */
export type IsoDate = string;

/** A page of a paginated list (`GET /contacts`, `GET /tags/:tagId/contacts`, …). */
export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

/** The messaging services a channel can run on. */
export enum MessageServiceEnum {
  whatsappweb = 'whatsappweb',
}

export type MessageService = `${MessageServiceEnum}`;
