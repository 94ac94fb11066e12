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

/**
 * The messaging services a channel can run on, chosen at setup and fixed for its life: WhatsApp Web (a
 * linked device), Meta's WhatsApp Cloud API, and 360dialog's hosted Cloud API (the guide's "D360").
 */
export enum MessageServiceEnum {
  whatsappweb = 'whatsappweb',
  /** Meta's WhatsApp Cloud API (official WhatsApp Business Platform). */
  whatsappcloud = 'whatsappcloud',
  /** 360dialog's hosted Cloud API (official WhatsApp Business Platform through a BSP). */
  d360 = 'd360',
}

export type MessageService = `${MessageServiceEnum}`;
