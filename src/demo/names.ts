/**
 * Word lists for the demo company. Every domain is under the reserved `.example`
 * top-level domain (RFC 2606) so that no demo address can ever reach a real mailbox.
 */

/** First names with the nicknames people actually use for them. */
export const FIRST_NAMES: readonly (readonly [string, readonly string[]])[] = [
  ['Robert', ['Bob', 'Rob', 'Bobby']], ['William', ['Bill', 'Will', 'Billy']], ['James', ['Jim', 'Jimmy', 'Jamie']],
  ['John', ['Johnny', 'Jack']], ['Richard', ['Rick', 'Dick', 'Rich']], ['Michael', ['Mike', 'Mick']],
  ['Thomas', ['Tom', 'Tommy']], ['Charles', ['Charlie', 'Chuck']], ['Christopher', ['Chris', 'Kit']],
  ['Daniel', ['Dan', 'Danny']], ['Matthew', ['Matt']], ['Anthony', ['Tony']], ['Joseph', ['Joe', 'Joey']],
  ['David', ['Dave', 'Davey']], ['Steven', ['Steve']], ['Andrew', ['Andy', 'Drew']], ['Joshua', ['Josh']],
  ['Kenneth', ['Ken', 'Kenny']], ['Edward', ['Ed', 'Eddie', 'Ted']], ['Benjamin', ['Ben', 'Benny']],
  ['Samuel', ['Sam', 'Sammy']], ['Alexander', ['Alex', 'Sasha']], ['Nicholas', ['Nick', 'Nico']],
  ['Jonathan', ['Jon']], ['Timothy', ['Tim']], ['Patrick', ['Pat', 'Paddy']], ['Gregory', ['Greg']],
  ['Peter', ['Pete']], ['Lawrence', ['Larry']], ['Frederick', ['Fred', 'Freddie']], ['Henry', ['Harry', 'Hank']],
  ['Raymond', ['Ray']], ['Gerald', ['Gerry']], ['Stefan', []], ['Lukas', ['Luke']], ['Jan', []], ['Pierre', []],
  ['Mateo', []], ['Liam', []], ['Noah', []], ['Oliver', ['Ollie']], ['Ethan', []], ['Arjun', []], ['Wei', []],
  ['Kenji', []], ['Omar', []], ['Mohammed', ['Mo']], ['Luca', []], ['Sven', []], ['Hugo', []],
  ['Elizabeth', ['Liz', 'Beth', 'Lizzie', 'Betty']], ['Margaret', ['Maggie', 'Meg', 'Peggy']],
  ['Katherine', ['Kate', 'Kathy', 'Katie']], ['Jennifer', ['Jen', 'Jenny']], ['Patricia', ['Pat', 'Patty', 'Trish']],
  ['Susan', ['Sue', 'Suzy']], ['Deborah', ['Deb', 'Debbie']], ['Rebecca', ['Becky', 'Becca']],
  ['Victoria', ['Vicky', 'Tori']], ['Alexandra', ['Alex', 'Sandra']], ['Jessica', ['Jess', 'Jessie']],
  ['Christina', ['Chris', 'Tina']], ['Samantha', ['Sam', 'Sammy']], ['Abigail', ['Abby']], ['Barbara', ['Barb']],
  ['Dorothy', ['Dot', 'Dottie']], ['Theresa', ['Terry', 'Tess']], ['Stephanie', ['Steph']], ['Amanda', ['Mandy']],
  ['Kimberly', ['Kim']], ['Emily', ['Em', 'Emmy']], ['Olivia', ['Liv']], ['Isabella', ['Bella', 'Izzy']],
  ['Charlotte', ['Charlie', 'Lottie']], ['Sophia', ['Sophie']], ['Eleanor', ['Ellie', 'Nora']],
  ['Anna', []], ['Laura', []], ['Sarah', []], ['Emma', []], ['Julia', ['Jules']], ['Maria', []], ['Lucia', []],
  ['Chloe', []], ['Mia', []], ['Hannah', []], ['Lea', []], ['Ingrid', []], ['Priya', []], ['Mei', []],
  ['Yuki', []], ['Fatima', []], ['Aisha', []], ['Camille', []], ['Sofie', []], ['Freya', []], ['Grace', []],
];

export const SURNAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Garcia', 'Rodriguez', 'Wilson',
  'Martinez', 'Anderson', 'Taylor', 'Thomas', 'Hernandez', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White',
  'Lopez', 'Lee', 'Gonzalez', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Perez', 'Hall', 'Young',
  'Allen', 'Sanchez', 'Wright', 'King', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Ramirez',
  'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Torres', 'Parker', 'Collins',
  'Edwards', 'Stewart', 'Flores', 'Morris', 'Nguyen', 'Murphy', 'Rivera', 'Cook', 'Rogers', 'Morgan',
  'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Gomez', 'Kelly', 'Howard', 'Ward', 'Cox', 'Diaz',
  'Richardson', 'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray', 'James', 'Reyes', 'Cruz', 'Hughes', 'Price',
  'Myers', 'Long', 'Foster', 'Sanders', 'Ross', 'Morales', 'Powell', 'Sullivan', 'Russell', 'Ortiz',
  'Jenkins', 'Gutierrez', 'Perry', 'Butler', 'Barnes', 'Fisher', 'Henderson', 'Coleman', 'Simmons',
  'Patterson', 'Jordan', 'Reynolds', 'Hamilton', 'Graham', 'Kim', 'Wallace', "O'Brien", 'McCarthy', 'Byrne',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz',
  'Dubois', 'Lefebvre', 'Moreau', 'Laurent', 'Bernard', 'Fontaine', 'Rousseau', 'de Vries', 'van Dijk',
  'Bakker', 'Janssen', 'Visser', 'Smit', 'Chen', 'Wang', 'Zhang', 'Li', 'Liu', 'Patel', 'Shah', 'Singh',
  'Kumar', 'Tanaka', 'Suzuki', 'Sato', 'Khan', 'Ali', 'Haddad', 'Rossi', 'Russo', 'Ferrari', 'Esposito',
  'Novak', 'Kowalski', 'Nowak', 'Andersson', 'Johansson', 'Nielsen', 'Hansen', 'Larsen', 'Walsh', 'Doyle',
];

export type CountryCode = 'US' | 'CA' | 'GB' | 'IE' | 'DE' | 'FR' | 'NL' | 'AU';
export type Region = 'americas' | 'emea' | 'apac';

export interface Country {
  code: CountryCode;
  weight: number;
  currency: 'USD' | 'CAD' | 'GBP' | 'EUR' | 'AUD';
  region: Region;
  dial: string;
  /** Local mailbox providers, besides the global ones. */
  mail: readonly string[];
  cities: readonly (readonly [string, string])[]; // [city, postcode prefix]
  streets: readonly string[];
}

export const COUNTRIES: readonly Country[] = [
  {
    code: 'US', weight: 40, currency: 'USD', region: 'americas', dial: '1', mail: ['comcast.example', 'att.example'],
    cities: [['Seattle', '981'], ['Portland', '972'], ['San Francisco', '941'], ['Austin', '787'], ['Denver', '802'],
      ['Chicago', '606'], ['Boston', '021'], ['New York', '100'], ['Atlanta', '303'], ['Minneapolis', '554']],
    streets: ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Pine St', 'Elm St', 'Washington Blvd', 'Lake Rd', 'Park Ave', '2nd St'],
  },
  {
    code: 'CA', weight: 7, currency: 'CAD', region: 'americas', dial: '1', mail: ['shaw.example'],
    cities: [['Toronto', 'M5V'], ['Vancouver', 'V6B'], ['Montreal', 'H2X'], ['Calgary', 'T2P'], ['Ottawa', 'K1P']],
    streets: ['King St W', 'Queen St', 'Granville St', 'Rue Sainte-Catherine', 'Bank St', 'Yonge St'],
  },
  {
    code: 'GB', weight: 16, currency: 'GBP', region: 'emea', dial: '44', mail: ['btinternet.example', 'sky.example'],
    cities: [['London', 'EC1'], ['Manchester', 'M1'], ['Bristol', 'BS1'], ['Leeds', 'LS1'], ['Edinburgh', 'EH1'], ['Brighton', 'BN1']],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane', 'Kings Road'],
  },
  {
    code: 'IE', weight: 3, currency: 'EUR', region: 'emea', dial: '353', mail: ['eircom.example'],
    cities: [['Dublin', 'D02'], ['Cork', 'T12'], ['Galway', 'H91']],
    streets: ['Grafton Street', 'Main Street', 'Patrick Street', 'Dame Street'],
  },
  {
    code: 'DE', weight: 12, currency: 'EUR', region: 'emea', dial: '49', mail: ['web.example', 'gmx.example'],
    cities: [['Berlin', '10'], ['Hamburg', '20'], ['München', '80'], ['Köln', '50'], ['Frankfurt am Main', '60'], ['Leipzig', '04']],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Schillerstraße', 'Goethestraße', 'Lindenallee'],
  },
  {
    code: 'FR', weight: 8, currency: 'EUR', region: 'emea', dial: '33', mail: ['orange.example', 'free.example'],
    cities: [['Paris', '750'], ['Lyon', '690'], ['Marseille', '130'], ['Bordeaux', '330'], ['Lille', '590'], ['Nantes', '440']],
    streets: ['Rue de la Paix', 'Avenue Victor Hugo', 'Rue du Moulin', 'Boulevard Voltaire', 'Rue de la République'],
  },
  {
    code: 'NL', weight: 6, currency: 'EUR', region: 'emea', dial: '31', mail: ['ziggo.example', 'kpn.example'],
    cities: [['Amsterdam', '10'], ['Rotterdam', '30'], ['Utrecht', '35'], ['Den Haag', '25'], ['Eindhoven', '56']],
    streets: ['Kerkstraat', 'Dorpsstraat', 'Prinsengracht', 'Stationsweg', 'Molenweg'],
  },
  {
    code: 'AU', weight: 8, currency: 'AUD', region: 'apac', dial: '61', mail: ['bigpond.example'],
    cities: [['Sydney', '2000'], ['Melbourne', '3000'], ['Brisbane', '4000'], ['Perth', '6000'], ['Adelaide', '5000']],
    streets: ['George St', 'Collins St', 'Queen St', 'Hay St', 'Rundle Mall', 'Bourke St'],
  },
];

export const GLOBAL_MAIL: readonly string[] = ['gmail.example', 'outlook.example', 'yahoo.example', 'icloud.example', 'proton.example', 'hotmail.example'];

/** Company names: prefix + core + suffix, plus an industry. */
export const COMPANY_PREFIX: readonly string[] = [
  'Acme', 'Blue', 'Summit', 'Harbor', 'Northstar', 'Granite', 'Silver', 'Red Oak', 'Evergreen', 'Bright',
  'Apex', 'Pioneer', 'Cobalt', 'Maple', 'Lumen', 'Vertex', 'Atlas', 'Crescent', 'Orchard', 'Ironwood',
  'Keystone', 'Meridian', 'Nimbus', 'Polaris', 'Quarry', 'Riverside', 'Sequoia', 'Tidewater', 'Union',
  'Velvet', 'Willow', 'Zenith', 'Falcon', 'Horizon', 'Juniper', 'Kestrel', 'Larkspur', 'Monarch', 'Oakridge',
  'Pinnacle', 'Redwood', 'Sterling', 'Beacon', 'Canyon', 'Driftwood', 'Ember', 'Foxglove', 'Golden', 'Hollow', 'Indigo',
];
export const COMPANY_CORE: readonly string[] = [
  'Logistics', 'Analytics', 'Design', 'Dental', 'Legal', 'Media', 'Robotics', 'Foods', 'Health', 'Energy',
  'Software', 'Consulting', 'Architects', 'Capital', 'Labs', 'Studios', 'Systems', 'Motors', 'Outfitters',
  'Bakery', 'Print', 'Realty', 'Clinic', 'Travel', 'Security', 'Networks', 'Partners', 'Works', 'Supply', 'Brewing',
];
export const COMPANY_SUFFIX: readonly string[] = ['Inc.', 'LLC', 'Ltd', 'GmbH', 'Co.', 'Group', 'B.V.', 'SAS', 'Pty Ltd', ''];
export const INDUSTRIES: readonly string[] = [
  'Technology', 'Professional services', 'Healthcare', 'Retail', 'Hospitality', 'Manufacturing', 'Media', 'Education', 'Finance', 'Real estate',
];

/** The shop's catalogue: sku, name, list price (in any currency). */
export const PRODUCTS: readonly (readonly [string, string, number])[] = [
  ['BEAN-HOUSE-250', 'House Blend 250 g', 12.5], ['BEAN-ESPR-250', 'Espresso Roast 250 g', 13.5],
  ['BEAN-ETH-250', 'Ethiopia Yirgacheffe 250 g', 16], ['BEAN-COL-250', 'Colombia Huila 250 g', 15],
  ['BEAN-DECAF-250', 'Swiss Water Decaf 250 g', 14], ['BEAN-HOUSE-1K', 'House Blend 1 kg', 39],
  ['POD-ESPR-30', 'Espresso Pods ×30', 11], ['TEA-EARL-100', 'Earl Grey 100 g', 9],
  ['GEAR-V60', 'Pour-over Dripper', 24], ['GEAR-GRIND', 'Hand Grinder', 59], ['GEAR-KETTLE', 'Gooseneck Kettle', 69],
  ['GEAR-MUG', 'Northwind Mug', 14], ['GIFT-CARD-25', 'Gift Card 25', 25], ['GIFT-BOX', 'Tasting Gift Box', 45],
];

/** Subscription plans: id, monthly price, who buys it. */
export const PLANS: readonly { id: string; mrr: number; business: boolean }[] = [
  { id: 'bean-starter', mrr: 16, business: false },
  { id: 'bean-lover', mrr: 29, business: false },
  { id: 'bean-addict', mrr: 54, business: false },
  { id: 'office-small', mrr: 99, business: true },
  { id: 'office-large', mrr: 249, business: true },
];

export type TicketTopic = 'delivery' | 'damaged' | 'billing' | 'subscription' | 'product' | 'account' | 'refund';

export const TICKET_SUBJECTS: Readonly<Record<TicketTopic, readonly string[]>> = {
  delivery: ['Where is my order?', 'Package not delivered', 'Tracking number not working', 'Delivery is late again'],
  damaged: ['Bag arrived torn', 'Grinder arrived broken', 'Damaged package', 'Beans spilled in the box'],
  billing: ['Charged twice', 'Invoice needed for my company', 'Wrong VAT on invoice', 'Card declined'],
  subscription: ['Pause my subscription', 'Change my plan', 'Skip next delivery', 'Cancel subscription'],
  product: ['Which grind for a moka pot?', 'Beans taste stale', 'Is the decaf chemical-free?', 'Recommendation for espresso'],
  account: ['Cannot log in', 'Reset password link expired', 'Change my e-mail address', 'Merge my two accounts'],
  refund: ['Refund request', 'Refund not received yet', 'Return a kettle', 'Money back for missing item'],
};

export type Sentiment = 'positive' | 'neutral' | 'negative';

/** Short NPS/CSAT comments by sentiment; `{agent}` and `{product}` are filled in. */
export const COMMENTS: Readonly<Record<Sentiment, readonly string[]>> = {
  positive: [
    'Love the coffee, always fresh.', 'Fast delivery and great taste!', '{agent} was super helpful, thank you.',
    'Best {product} I have had in years.', 'The subscription just works, never run out of beans.',
    'Friendly support and quick answers.', 'Great value, I recommend you to all my friends.',
    'Beautiful packaging and the beans smell amazing.', 'You fixed my problem in minutes, impressive.',
    'Consistently excellent roast.',
  ],
  neutral: [
    'Good coffee but a bit pricey.', 'Delivery took a few days longer than expected.', 'It is fine, nothing special.',
    'The {product} is ok, I preferred the old recipe.', 'Support answered, but I had to explain twice.',
    'Decent, would like more decaf options.', 'Website is a bit slow at checkout.', 'Okay overall.',
  ],
  negative: [
    'Waited days for an answer from support.', 'My order arrived late and nobody replied.', 'Charged twice and still no refund.',
    'The {product} tasted stale.', 'Cancelling, too many problems with delivery.', 'Nobody answered my e-mails.',
    'Terrible experience, the box was damaged again.', 'I had to chase you three times.', 'Too expensive for the quality.',
    'Support closed my ticket without solving it.',
  ],
};

export const UTM_SOURCES: readonly string[] = ['google', 'instagram', 'newsletter', 'direct', 'facebook', 'podcast', 'referral'];
export const DEVICES: readonly string[] = ['desktop', 'mobile', 'mobile', 'tablet'];
export const PAGES: readonly string[] = ['/', '/shop', '/shop/beans', '/shop/gear', '/subscribe', '/blog/brew-guide', '/account', '/help'];
