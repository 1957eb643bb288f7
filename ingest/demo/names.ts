/**
 * Made-up people for the demo: common given names and family names from many countries, combined
 * at random, so every name looks ordinary and none was taken from a real directory. Addresses use
 * a subdomain of `syncbalance.example`, and customers use other `.example` domains: `.example` is
 * reserved (RFC 2606) and can never deliver mail to anyone.
 */
import type { Random } from './random.ts';

export const DEMO_DOMAIN = 'demo.syncbalance.example';
export const ROOM_DOMAIN = `resource.${DEMO_DOMAIN}`;

const GIVEN_NAMES = (
  'Aisha Akira Alba Amara Ana Anders Arjun Ayla Bea Bram Camila Chen Chiara Dana Daniel Dario ' +
  'Divya Elif Elena Emeka Emil Esther Farah Felix Freya Gabriel Grace Hana Hugo Ines Ivan ' +
  'Jonas Joy Julia Kai Kamal Kenji Lara Leon Liam Lina Lucas Maya Mateo Mei Mila Nadia Niamh ' +
  'Nico Noah Nora Olu Omar Oscar Paula Priya Rafael Ravi Rosa Ruth Sami Sara Sofia Tariq ' +
  'Tessa Theo Tomas Uma Vera Wei Yara Yusuf Zoe Zora'
).split(/\s+/);

const FAMILY_NAMES = (
  'Abara Achterberg Aldana Bakker Balogun Bianchi Brandt Castell Chandra Costa Dalton Demir ' +
  'Duarte Eriksen Esposito Farrow Ferreira Fischer Garrido Gupta Halvorsen Haddad Ibarra Iyer ' +
  'Jansen Kaur Keller Kowalski Laine Lindqvist Lopes Marchetti Mendez Moreau Mwangi Nakamura ' +
  'Navarro Nguyen Novak Okafor Oliveira Ortega Park Petrov Quinn Rahman Reyes Rossi Santos ' +
  'Sato Schmidt Silva Sorensen Tan Tanaka Varga Vasquez Weber Whitfield Wong Yilmaz Zhang ' +
  'Zielinski'
).split(/\s+/);

const CUSTOMER_DOMAINS = [
  'northwind.example',
  'bluepeak.example',
  'harbourline.example',
  'quillworks.example',
  'tidewater.example',
];

/** Hands out unique names and addresses for one organisation. */
export class NameBook {
  readonly #random: Random;
  readonly #usedAddresses = new Set<string>();

  constructor(random: Random) {
    this.#random = random;
  }

  /** A new person's name and their address at `domain`. */
  person(domain: string = DEMO_DOMAIN): { name: string; email: string } {
    const given = this.#random.pick(GIVEN_NAMES);
    const family = this.#random.pick(FAMILY_NAMES);
    const local = `${given}.${family}`.toLowerCase();
    let email = `${local}@${domain}`;
    for (let suffix = 2; this.#usedAddresses.has(email); suffix++)
      email = `${local}${suffix}@${domain}`;
    this.#usedAddresses.add(email);
    return { name: `${given} ${family}`, email };
  }

  /** A customer's address, for meetings and shared channels with people outside the company. */
  customer(): string {
    return this.person(this.#random.pick(CUSTOMER_DOMAINS)).email;
  }
}
