// The demo's real places in Monaco (and Beausoleil, just over the border): quarters, warehouses and zones.
// Coordinates are WGS84; polygons are GeoJSON [lon, lat] rings.

export const quarters = [
  { name: 'Monaco-Ville', lat: 43.7311, lon: 7.4197 },
  { name: 'La Condamine', lat: 43.7352, lon: 7.4195 },
  { name: 'Monte-Carlo', lat: 43.7396, lon: 7.4276 },
  { name: 'Fontvieille', lat: 43.7278, lon: 7.4152 },
  { name: 'Larvotto', lat: 43.7445, lon: 7.433 },
  { name: 'Moneghetti', lat: 43.7365, lon: 7.4145 },
  { name: 'Saint-Roman', lat: 43.7495, lon: 7.4385 },
  { name: 'Jardin Exotique', lat: 43.732, lon: 7.411 },
  { name: 'Beausoleil', lat: 43.7435, lon: 7.4225 },
] as const;

/** Households are drawn from streets inside this box. */
export const serviceArea = { minLat: 43.7245, maxLat: 43.7525, minLon: 7.405, maxLon: 7.442 };

export const warehouses = [
  { name: 'Fontvieille Relief Depot', address: 'Rue du Gabian, Fontvieille', lat: 43.7282, lon: 7.4148, capacityWeightKg: 6000, capacityVolumeM3: 40 },
  { name: 'Port Hercule Store', address: 'Quai Antoine Ier, La Condamine', lat: 43.7343, lon: 7.4232, capacityWeightKg: 4000, capacityVolumeM3: 28 },
  { name: 'Monte-Carlo Community Hall', address: 'Boulevard des Moulins, Monte-Carlo', lat: 43.7418, lon: 7.4287, capacityWeightKg: 2500, capacityVolumeM3: 18 },
  { name: 'Saint-Roman Food Bank', address: 'Avenue de la Madone, Saint-Roman', lat: 43.7478, lon: 7.4356, capacityWeightKg: 3000, capacityVolumeM3: 20 },
];

/** The Rock (Monaco-Ville) is the sealed compound: vehicles stop at its gates, volunteers walk in. */
export const sealedZone = {
  name: 'Monaco-Ville (the Rock)',
  status: 'sealed' as const,
  polygon: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [7.418, 43.7318],
        [7.42, 43.7322],
        [7.4235, 43.7318],
        [7.4248, 43.7305],
        [7.423, 43.729],
        [7.4195, 43.7292],
        [7.4178, 43.7305],
        [7.418, 43.7318],
      ] as [number, number][],
    ],
  },
  // Vans unload where the two-way Avenue de la Porte Neuve meets the Rock; volunteers walk on from there.
  gates: [{ name: 'Porte Neuve gate', lat: 43.73219, lon: 7.41994 }],
};

export const controlledZone = {
  name: 'La Condamine',
  status: 'controlled' as const,
  polygon: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [7.4165, 43.7331],
        [7.4168, 43.7378],
        [7.4232, 43.7384],
        [7.4258, 43.7346],
        [7.4218, 43.7329],
        [7.4165, 43.7331],
      ] as [number, number][],
    ],
  },
  gates: [],
};

/** The catalogue; residents may ask from their own page for the everyday items, within a limit per household and per day (medicine that needs a doctor stays with the community worker). */
export const commodities = [
  { code: 'RICE-5KG', name: 'Rice', unit: '5 kg bag', weightKg: 5, volumeM3: 0.006, perishable: false, category: 'food', residentOpen: true, residentMaxPerHousehold: 2, residentMaxPerDay: 200 },
  { code: 'PASTA-1KG', name: 'Pasta', unit: '1 kg pack', weightKg: 1, volumeM3: 0.002, perishable: false, category: 'food', residentOpen: true, residentMaxPerHousehold: 4, residentMaxPerDay: 300 },
  { code: 'BEANS-CAN', name: 'Canned beans', unit: '400 g can', weightKg: 0.45, volumeM3: 0.0005, perishable: false, category: 'food', residentOpen: false, residentMaxPerHousehold: null, residentMaxPerDay: null },
  { code: 'OIL-1L', name: 'Cooking oil', unit: '1 L bottle', weightKg: 0.95, volumeM3: 0.0011, perishable: false, category: 'food', residentOpen: true, residentMaxPerHousehold: 2, residentMaxPerDay: 150 },
  { code: 'WATER-6X1.5', name: 'Bottled water', unit: 'pack of 6 × 1.5 L', weightKg: 9.2, volumeM3: 0.011, perishable: false, category: 'water', residentOpen: true, residentMaxPerHousehold: 4, residentMaxPerDay: 300 },
  { code: 'MILK-UHT', name: 'UHT milk', unit: '1 L carton', weightKg: 1.05, volumeM3: 0.0011, perishable: true, category: 'food', residentOpen: true, residentMaxPerHousehold: 6, residentMaxPerDay: 300 },
  { code: 'VEG-BOX', name: 'Fresh vegetables', unit: '4 kg box', weightKg: 4, volumeM3: 0.012, perishable: true, category: 'food', residentOpen: false, residentMaxPerHousehold: null, residentMaxPerDay: null },
  { code: 'EGGS-12', name: 'Eggs', unit: 'tray of 12', weightKg: 0.75, volumeM3: 0.002, perishable: true, category: 'food', residentOpen: false, residentMaxPerHousehold: null, residentMaxPerDay: null },
  { code: 'FORMULA', name: 'Infant formula', unit: '800 g tin', weightKg: 0.9, volumeM3: 0.0015, perishable: false, category: 'infant', residentOpen: true, residentMaxPerHousehold: 3, residentMaxPerDay: 60 },
  { code: 'DIAPERS', name: 'Diapers', unit: 'pack of 40', weightKg: 1.4, volumeM3: 0.012, perishable: false, category: 'infant', residentOpen: true, residentMaxPerHousehold: 2, residentMaxPerDay: 60 },
  { code: 'INSULIN', name: 'Insulin pens', unit: 'box of 5 pens (cold chain)', weightKg: 0.2, volumeM3: 0.0004, perishable: true, category: 'medicine', residentOpen: false, residentMaxPerHousehold: null, residentMaxPerDay: null },
  { code: 'BP-MEDS', name: 'Blood-pressure medicine', unit: '30-day pack', weightKg: 0.05, volumeM3: 0.0001, perishable: false, category: 'medicine', residentOpen: false, residentMaxPerHousehold: null, residentMaxPerDay: null },
  { code: 'PARACETAMOL', name: 'Paracetamol', unit: 'box of 16', weightKg: 0.03, volumeM3: 0.00005, perishable: false, category: 'medicine', residentOpen: true, residentMaxPerHousehold: 1, residentMaxPerDay: 50 },
  { code: 'HYGIENE-KIT', name: 'Hygiene kit', unit: 'kit (soap, toothpaste, pads)', weightKg: 1.2, volumeM3: 0.004, perishable: false, category: 'hygiene', residentOpen: true, residentMaxPerHousehold: 1, residentMaxPerDay: 100 },
  { code: 'MASKS-50', name: 'Face masks', unit: 'box of 50', weightKg: 0.3, volumeM3: 0.002, perishable: false, category: 'hygiene', residentOpen: true, residentMaxPerHousehold: 1, residentMaxPerDay: 100 },
] as const;
