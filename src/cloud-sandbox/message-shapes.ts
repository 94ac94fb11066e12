import { arr, obj, oneOfStr, str, type Shape } from './shape-validator';

/**
 * The request shapes of `POST /<phone-number-id>/messages`, one entry per message type, as Meta documents
 * them (Messages API reference, 2025-2026). Adding a type is one entry here.
 */
const text = (max: number): Shape => obj({ text: str(max) }, ['text']);
const mediaRef = (extra: Record<string, Shape> = {}): Shape =>
  obj({ id: str(), link: str(), ...extra }, [], ['id', 'link']);
const latLng = { latitude: { t: 'numberish' } as Shape, longitude: { t: 'numberish' } as Shape };

const contact = obj(
  {
    name: obj(
      { formatted_name: str(), first_name: str(), last_name: str(), middle_name: str(), suffix: str(), prefix: str() },
      ['formatted_name'],
    ),
    addresses: arr(
      obj({ street: str(), city: str(), state: str(), zip: str(), country: str(), country_code: str(), type: str() }),
    ),
    birthday: str(),
    emails: arr(obj({ email: str(), type: str() })),
    org: obj({ company: str(), department: str(), title: str() }),
    phones: arr(obj({ phone: str(), type: str(), wa_id: str() })),
    urls: arr(obj({ url: str(), type: str() })),
  },
  ['name'],
);

const interactiveHeader: Shape = {
  t: 'union',
  by: 'type',
  cases: {
    text: obj({ type: str(), text: str(60) }, ['text']),
    image: obj({ type: str(), image: mediaRef() }, ['image']),
    video: obj({ type: str(), video: mediaRef() }, ['video']),
    document: obj({ type: str(), document: mediaRef({ filename: str() }) }, ['document']),
  },
};
const body = (max: number): Shape => text(max);
const footer = text(60);

const interactive: Shape = {
  t: 'union',
  by: 'type',
  cases: {
    button: obj(
      {
        type: str(),
        header: interactiveHeader,
        body: body(1024),
        footer,
        action: obj(
          { buttons: arr(obj({ type: oneOfStr('reply'), reply: obj({ id: str(256), title: str(20) }, ['id', 'title']) }, ['type', 'reply']), 1, 3) },
          ['buttons'],
        ),
      },
      ['body', 'action'],
    ),
    list: obj(
      {
        type: str(),
        header: obj({ type: oneOfStr('text'), text: str(60) }, ['type', 'text']),
        body: body(4096),
        footer,
        action: obj(
          {
            button: str(20),
            sections: arr(
              obj(
                {
                  title: str(24),
                  rows: arr(obj({ id: str(200), title: str(24), description: str(72) }, ['id', 'title']), 1, 10),
                },
                ['rows'],
              ),
              1,
              10,
            ),
          },
          ['button', 'sections'],
        ),
      },
      ['body', 'action'],
    ),
    cta_url: obj(
      {
        type: str(),
        header: interactiveHeader,
        body: body(1024),
        footer,
        action: obj(
          { name: oneOfStr('cta_url'), parameters: obj({ display_text: str(20), url: str() }, ['display_text', 'url']) },
          ['name', 'parameters'],
        ),
      },
      ['body', 'action'],
    ),
    location_request_message: obj(
      { type: str(), body: body(1024), action: obj({ name: oneOfStr('send_location') }, ['name']) },
      ['body', 'action'],
    ),
  },
};

const templateParameter: Shape = {
  t: 'union',
  by: 'type',
  cases: {
    text: obj({ type: str(), text: str(32768), parameter_name: str() }, ['text']),
    currency: obj(
      { type: str(), parameter_name: str(), currency: obj({ fallback_value: str(), code: str(), amount_1000: { t: 'number' } }, ['fallback_value', 'code', 'amount_1000']) },
      ['currency'],
    ),
    date_time: obj({ type: str(), parameter_name: str(), date_time: obj({ fallback_value: str() }, ['fallback_value']) }, ['date_time']),
    image: obj({ type: str(), image: mediaRef() }, ['image']),
    video: obj({ type: str(), video: mediaRef() }, ['video']),
    document: obj({ type: str(), document: mediaRef({ filename: str() }) }, ['document']),
    location: obj({ type: str(), location: obj({ ...latLng, name: str(), address: str() }, ['latitude', 'longitude']) }, ['location']),
    payload: obj({ type: str(), payload: str() }, ['payload']),
    coupon_code: obj({ type: str(), coupon_code: str(15) }, ['coupon_code']),
  },
};

const template = obj(
  {
    name: str(512),
    language: obj({ code: str(), policy: oneOfStr('deterministic') }, ['code']),
    components: arr(
      obj(
        {
          type: oneOfStr('header', 'body', 'button', 'footer'),
          sub_type: oneOfStr('quick_reply', 'url', 'copy_code', 'flow', 'catalog'),
          index: { t: 'numberish' },
          parameters: arr(templateParameter),
        },
        ['type'],
      ),
    ),
  },
  ['name', 'language'],
);

export const MESSAGE_TYPE_SHAPES: Record<string, Shape> = {
  text: obj({ body: str(4096), preview_url: { t: 'boolean' } }, ['body']),
  image: mediaRef({ caption: str(1024) }),
  video: mediaRef({ caption: str(1024) }),
  audio: mediaRef(),
  document: mediaRef({ caption: str(1024), filename: str(240) }),
  sticker: mediaRef(),
  location: obj({ ...latLng, name: str(), address: str() }, ['latitude', 'longitude']),
  contacts: arr(contact, 1),
  reaction: obj({ message_id: str(), emoji: { t: 'string', allowEmpty: true } }, ['message_id', 'emoji']),
  interactive,
  template,
};

export const MESSAGE_TYPES = Object.keys(MESSAGE_TYPE_SHAPES);

/** Fields every send request may carry besides the one payload object named by `type`. */
export const ENVELOPE_FIELDS: Record<string, Shape> = {
  messaging_product: oneOfStr('whatsapp'),
  recipient_type: oneOfStr('individual', 'group'),
  to: str(),
  type: oneOfStr(...MESSAGE_TYPES),
  context: obj({ message_id: str() }, ['message_id']),
  biz_opaque_callback_data: str(512),
};

/** Mark-as-read (optionally with a typing indicator) has its own envelope and no `to`. */
export const MARK_READ_SHAPE = obj(
  {
    messaging_product: oneOfStr('whatsapp'),
    status: oneOfStr('read'),
    message_id: str(),
    typing_indicator: obj({ type: oneOfStr('text') }, ['type']),
  },
  ['messaging_product', 'status', 'message_id'],
);
