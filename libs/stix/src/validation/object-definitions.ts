/**
 * The STIX 2.1 object types and their properties, written from the specification (STIX Version 2.1, OASIS
 * Standard with errata 01): §3 common properties, §4 SDOs, §5 SROs, §6 SCOs, §7 meta objects. Each type lists
 * its own properties with the kind of value the spec gives them; `json-schemas.ts` turns these into JSON schemas.
 * Open vocabularies (…-ov) are plain strings, as the spec allows values outside them; enumerations (…-enum) are
 * closed.
 */

/** The kind of value a property holds (spec §2, data types). */
export type PropertyKind =
  | 'string'
  | 'strings' // list of string, at least one
  | 'anyStrings' // list of string, possibly empty
  | 'boolean'
  | 'integer'
  | 'nonNegativeInteger'
  | 'number'
  | 'timestamp'
  | 'identifier'
  | 'identifiers'
  | 'hashes'
  | 'dictionary'
  | 'hex'
  | 'binary'
  | 'url'
  | 'killChainPhases'
  | { enum: readonly string[] }
  | { enumList: readonly string[] }
  | { identifierOf: readonly string[] }
  | { identifiersOf: readonly string[] }
  | { integerRange: readonly [number, number] }
  | { numberRange: readonly [number, number] }
  | { stringPattern: string }
  | { schema: Record<string, unknown> };

export type PropertyMap = Readonly<Record<string, PropertyKind>>;

export type ObjectCategory = 'sdo' | 'sro' | 'sco' | 'meta';

export interface ObjectDefinition {
  category: ObjectCategory;
  properties: PropertyMap;
  required?: readonly string[];
  /** Further constraints of the type, as JSON schema (allOf members): "one of", "only with" rules. */
  constraints?: readonly Record<string, unknown>[];
  /** Predefined extensions of an SCO (§6): name → properties, required ones and constraints. */
  extensions?: Readonly<Record<string, ExtensionDefinition>>;
}

export interface ExtensionDefinition {
  properties: PropertyMap;
  required?: readonly string[];
  /** At least one of these must be present. */
  anyOf?: readonly string[];
}

const SDO_OR_SCO_ONLY = ['relationship', 'sighting', 'bundle', 'marking-definition', 'language-content'];

/** A list of the given property names, at least one of which must be present (JSON schema). */
export const atLeastOneOf = (names: readonly string[]): Record<string, unknown> => ({
  anyOf: names.map((name) => ({ required: [name] })),
});
/** `dependent` may only be present together with `on`. */
const onlyWith = (dependent: string, on: readonly string[]): Record<string, unknown> => ({
  if: { required: [dependent] },
  then: { required: on },
});
/** Not both of the two. */
const notBoth = (first: string, second: string): Record<string, unknown> => ({
  not: { required: [first, second] },
});

const NAMED: PropertyMap = { name: 'string', description: 'string' };

// ---- SDOs (§4) ----

const SDO_DEFINITIONS: Record<string, ObjectDefinition> = {
  'attack-pattern': {
    category: 'sdo',
    properties: { ...NAMED, aliases: 'anyStrings', kill_chain_phases: 'killChainPhases' },
    required: ['name'],
  },
  campaign: {
    category: 'sdo',
    properties: { ...NAMED, aliases: 'strings', first_seen: 'timestamp', last_seen: 'timestamp', objective: 'string' },
    required: ['name'],
  },
  'course-of-action': { category: 'sdo', properties: NAMED, required: ['name'] },
  grouping: {
    category: 'sdo',
    properties: { ...NAMED, context: 'string', object_refs: 'identifiers' },
    required: ['context', 'object_refs'],
  },
  identity: {
    category: 'sdo',
    properties: {
      ...NAMED,
      roles: 'strings',
      identity_class: 'string',
      sectors: 'strings',
      contact_information: 'string',
    },
    required: ['name'],
  },
  incident: { category: 'sdo', properties: { ...NAMED, kill_chain_phases: 'killChainPhases' }, required: ['name'] },
  indicator: {
    category: 'sdo',
    properties: {
      ...NAMED,
      indicator_types: 'strings',
      pattern: 'string',
      pattern_type: 'string',
      pattern_version: 'string',
      valid_from: 'timestamp',
      valid_until: 'timestamp',
      kill_chain_phases: 'killChainPhases',
    },
    required: ['pattern', 'pattern_type', 'valid_from'],
  },
  infrastructure: {
    category: 'sdo',
    properties: {
      ...NAMED,
      infrastructure_types: 'strings',
      aliases: 'strings',
      kill_chain_phases: 'killChainPhases',
      first_seen: 'timestamp',
      last_seen: 'timestamp',
    },
    required: ['name'],
  },
  'intrusion-set': {
    category: 'sdo',
    properties: {
      ...NAMED,
      aliases: 'strings',
      first_seen: 'timestamp',
      last_seen: 'timestamp',
      goals: 'strings',
      resource_level: 'string',
      primary_motivation: 'string',
      secondary_motivations: 'strings',
    },
    required: ['name'],
  },
  location: {
    category: 'sdo',
    properties: {
      ...NAMED,
      latitude: { numberRange: [-90, 90] },
      longitude: { numberRange: [-180, 180] },
      precision: 'number',
      region: 'string',
      country: 'string',
      administrative_area: 'string',
      city: 'string',
      street_address: 'string',
      postal_code: 'string',
    },
    constraints: [
      // §4.11: at least one of region, country, or latitude with longitude; the two coordinates go together.
      { anyOf: [{ required: ['region'] }, { required: ['country'] }, { required: ['latitude', 'longitude'] }] },
      onlyWith('latitude', ['longitude']),
      onlyWith('longitude', ['latitude']),
      onlyWith('precision', ['latitude', 'longitude']),
    ],
  },
  malware: {
    category: 'sdo',
    properties: {
      ...NAMED,
      malware_types: 'strings',
      is_family: 'boolean',
      aliases: 'strings',
      kill_chain_phases: 'killChainPhases',
      first_seen: 'timestamp',
      last_seen: 'timestamp',
      operating_system_refs: { identifiersOf: ['software'] },
      architecture_execution_envs: 'strings',
      implementation_languages: 'strings',
      capabilities: 'strings',
      sample_refs: 'identifiers',
    },
    required: ['is_family'],
    // §4.12: a malware family must be named.
    constraints: [{ if: { properties: { is_family: { const: true } } }, then: { required: ['name'] } }],
  },
  'malware-analysis': {
    category: 'sdo',
    properties: {
      product: 'string',
      version: 'string',
      host_vm_ref: { identifierOf: ['software'] },
      operating_system_ref: { identifierOf: ['software'] },
      installed_software_refs: { identifiersOf: ['software'] },
      configuration_version: 'string',
      modules: 'strings',
      analysis_engine_version: 'string',
      analysis_definition_version: 'string',
      submitted: 'timestamp',
      analysis_started: 'timestamp',
      analysis_ended: 'timestamp',
      result_name: 'string',
      result: 'string',
      analysis_sco_refs: 'identifiers',
      sample_ref: { identifierOf: ['file', 'network-traffic', 'artifact'] },
    },
    required: ['product'],
    constraints: [atLeastOneOf(['result', 'analysis_sco_refs'])],
  },
  note: {
    category: 'sdo',
    properties: { abstract: 'string', content: 'string', authors: 'strings', object_refs: 'identifiers' },
    required: ['content', 'object_refs'],
  },
  'observed-data': {
    category: 'sdo',
    properties: {
      first_observed: 'timestamp',
      last_observed: 'timestamp',
      number_observed: { integerRange: [1, 999_999_999] },
      // Deprecated in 2.1 but still valid: a dictionary of SCOs keyed by local references.
      objects: { schema: { type: 'object', minProperties: 1, additionalProperties: { type: 'object' } } },
      object_refs: 'identifiers',
    },
    required: ['first_observed', 'last_observed', 'number_observed'],
    // §4.14: object_refs, or the deprecated objects, but not both.
    constraints: [atLeastOneOf(['objects', 'object_refs']), notBoth('objects', 'object_refs')],
  },
  opinion: {
    category: 'sdo',
    properties: {
      explanation: 'string',
      authors: 'strings',
      opinion: { enum: ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'] },
      object_refs: 'identifiers',
    },
    required: ['opinion', 'object_refs'],
  },
  report: {
    category: 'sdo',
    properties: { ...NAMED, report_types: 'strings', published: 'timestamp', object_refs: 'identifiers' },
    required: ['name', 'published', 'object_refs'],
  },
  'threat-actor': {
    category: 'sdo',
    properties: {
      ...NAMED,
      threat_actor_types: 'strings',
      aliases: 'strings',
      first_seen: 'timestamp',
      last_seen: 'timestamp',
      roles: 'strings',
      goals: 'strings',
      sophistication: 'string',
      resource_level: 'string',
      primary_motivation: 'string',
      secondary_motivations: 'strings',
      personal_motivations: 'strings',
    },
    required: ['name'],
  },
  tool: {
    category: 'sdo',
    properties: {
      ...NAMED,
      tool_types: 'strings',
      aliases: 'strings',
      kill_chain_phases: 'killChainPhases',
      tool_version: 'string',
    },
    required: ['name'],
  },
  vulnerability: { category: 'sdo', properties: NAMED, required: ['name'] },
};

// ---- SROs (§5) ----

const SRO_DEFINITIONS: Record<string, ObjectDefinition> = {
  relationship: {
    category: 'sro',
    properties: {
      relationship_type: { stringPattern: '^[a-z0-9-]+$' },
      description: 'string',
      source_ref: { identifierOf: SDO_OR_SCO_ONLY.map((type) => `!${type}`) },
      target_ref: { identifierOf: SDO_OR_SCO_ONLY.map((type) => `!${type}`) },
      start_time: 'timestamp',
      stop_time: 'timestamp',
    },
    required: ['relationship_type', 'source_ref', 'target_ref'],
  },
  sighting: {
    category: 'sro',
    properties: {
      description: 'string',
      first_seen: 'timestamp',
      last_seen: 'timestamp',
      count: { integerRange: [0, 999_999_999] },
      sighting_of_ref: { identifierOf: SDO_OR_SCO_ONLY.map((type) => `!${type}`) },
      observed_data_refs: { identifiersOf: ['observed-data'] },
      where_sighted_refs: { identifiersOf: ['identity', 'location'] },
      summary: 'boolean',
    },
    required: ['sighting_of_ref'],
  },
};

// ---- SCOs (§6) ----

const ENCRYPTION_ALGORITHMS = ['AES-256-GCM', 'ChaCha20-Poly1305', 'mime-type-indicated'];
const ADDRESS_REFS: PropertyMap = { resolves_to_refs: 'identifiers', belongs_to_refs: 'identifiers' };
const FILE_TIMES: PropertyMap = { ctime: 'timestamp', mtime: 'timestamp', atime: 'timestamp' };

const SCO_DEFINITIONS: Record<string, ObjectDefinition> = {
  artifact: {
    category: 'sco',
    properties: {
      // §6.1: an IANA media type.
      mime_type: {
        stringPattern: '^(application|audio|font|image|message|model|multipart|text|video)/[a-zA-Z0-9.+_-]+',
      },
      payload_bin: 'binary',
      url: 'url',
      hashes: 'hashes',
      encryption_algorithm: { enum: ENCRYPTION_ALGORITHMS },
      decryption_key: 'string',
    },
    constraints: [
      // §6.1: the payload itself, or where to get it with its hashes; never both.
      atLeastOneOf(['payload_bin', 'url']),
      notBoth('payload_bin', 'url'),
      onlyWith('url', ['hashes']),
      onlyWith('decryption_key', ['encryption_algorithm']),
    ],
  },
  'autonomous-system': {
    category: 'sco',
    properties: { number: 'integer', name: 'string', rir: 'string' },
    required: ['number'],
  },
  directory: {
    category: 'sco',
    properties: { path: 'string', path_enc: 'string', ...FILE_TIMES, contains_refs: 'identifiers' },
    required: ['path'],
  },
  'domain-name': {
    category: 'sco',
    properties: { value: { schema: { type: 'string', format: 'stix-hostname' } }, resolves_to_refs: 'identifiers' },
    required: ['value'],
  },
  'email-addr': {
    category: 'sco',
    properties: {
      value: { schema: { type: 'string', format: 'email' } },
      display_name: 'string',
      belongs_to_ref: { identifierOf: ['user-account'] },
    },
    required: ['value'],
  },
  'email-message': {
    category: 'sco',
    properties: {
      is_multipart: 'boolean',
      date: 'timestamp',
      content_type: 'string',
      from_ref: { identifierOf: ['email-addr'] },
      sender_ref: { identifierOf: ['email-addr'] },
      to_refs: { identifiersOf: ['email-addr'] },
      cc_refs: { identifiersOf: ['email-addr'] },
      bcc_refs: { identifiersOf: ['email-addr'] },
      message_id: 'string',
      subject: 'string',
      received_lines: 'anyStrings',
      additional_header_fields: 'dictionary',
      body: 'string',
      body_multipart: {
        schema: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              body: { type: 'string' },
              body_raw_ref: { $ref: 'stix#/definitions/identifier' },
              content_type: { type: 'string' },
              content_disposition: { type: 'string' },
            },
            // §6.6.2: the part's text, or a reference to its raw bytes, not both.
            oneOf: [{ required: ['body'] }, { required: ['body_raw_ref'] }],
          },
        },
      },
      raw_email_ref: { identifierOf: ['artifact'] },
    },
    required: ['is_multipart'],
    constraints: [
      // §6.6: body only when not multipart, body_multipart only when multipart.
      { if: { properties: { is_multipart: { const: true } } }, then: { not: { required: ['body'] } } },
      { if: { properties: { is_multipart: { const: false } } }, then: { not: { required: ['body_multipart'] } } },
    ],
  },
  file: {
    category: 'sco',
    properties: {
      hashes: 'hashes',
      size: 'nonNegativeInteger',
      name: 'string',
      name_enc: 'string',
      magic_number_hex: 'hex',
      mime_type: 'string',
      ...FILE_TIMES,
      parent_directory_ref: { identifierOf: ['directory'] },
      contains_refs: 'identifiers',
      content_ref: { identifierOf: ['artifact'] },
    },
    constraints: [atLeastOneOf(['hashes', 'name'])],
    extensions: {
      'ntfs-ext': {
        properties: {
          sid: 'string',
          alternate_data_streams: {
            schema: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  hashes: { $ref: 'stix#/definitions/hashes' },
                  size: { type: 'integer', minimum: 0 },
                },
                required: ['name'],
              },
            },
          },
        },
        anyOf: ['sid', 'alternate_data_streams'],
      },
      'raster-image-ext': {
        properties: {
          image_height: 'integer',
          image_width: 'integer',
          bits_per_pixel: 'integer',
          exif_tags: 'dictionary',
        },
        anyOf: ['image_height', 'image_width', 'bits_per_pixel', 'exif_tags'],
      },
      'pdf-ext': {
        properties: {
          version: 'string',
          is_optimized: 'boolean',
          document_info_dict: 'dictionary',
          pdfid0: 'string',
          pdfid1: 'string',
        },
        anyOf: ['version', 'is_optimized', 'document_info_dict', 'pdfid0', 'pdfid1'],
      },
      'archive-ext': {
        properties: { contains_refs: 'identifiers', comment: 'string' },
        required: ['contains_refs'],
      },
      'windows-pebinary-ext': {
        properties: {
          pe_type: 'string',
          imphash: 'string',
          machine_hex: 'hex',
          number_of_sections: 'nonNegativeInteger',
          time_date_stamp: 'timestamp',
          pointer_to_symbol_table_hex: 'hex',
          number_of_symbols: 'nonNegativeInteger',
          size_of_optional_header: 'nonNegativeInteger',
          characteristics_hex: 'hex',
          file_header_hashes: 'hashes',
          optional_header: { schema: { type: 'object', minProperties: 1 } },
          sections: { schema: { type: 'array', minItems: 1, items: { type: 'object', required: ['name'] } } },
        },
        required: ['pe_type'],
      },
    },
  },
  'ipv4-addr': {
    category: 'sco',
    properties: { value: { schema: { type: 'string', format: 'stix-ipv4' } }, ...ADDRESS_REFS },
    required: ['value'],
  },
  'ipv6-addr': {
    category: 'sco',
    properties: { value: { schema: { type: 'string', format: 'stix-ipv6' } }, ...ADDRESS_REFS },
    required: ['value'],
  },
  'mac-addr': {
    category: 'sco',
    // §6.10: colon-delimited, lower case, two hex digits per byte.
    properties: { value: { stringPattern: '^([0-9a-f]{2}:){5}[0-9a-f]{2}$' } },
    required: ['value'],
  },
  mutex: { category: 'sco', properties: { name: 'string' }, required: ['name'] },
  'network-traffic': {
    category: 'sco',
    properties: {
      start: 'timestamp',
      end: 'timestamp',
      is_active: 'boolean',
      src_ref: { identifierOf: ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'] },
      dst_ref: { identifierOf: ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'] },
      src_port: { integerRange: [0, 65535] },
      dst_port: { integerRange: [0, 65535] },
      protocols: 'strings',
      src_byte_count: 'nonNegativeInteger',
      dst_byte_count: 'nonNegativeInteger',
      src_packets: 'nonNegativeInteger',
      dst_packets: 'nonNegativeInteger',
      ipfix: 'dictionary',
      src_payload_ref: { identifierOf: ['artifact'] },
      dst_payload_ref: { identifierOf: ['artifact'] },
      encapsulates_refs: { identifiersOf: ['network-traffic'] },
      encapsulated_by_ref: { identifierOf: ['network-traffic'] },
    },
    required: ['protocols'],
    constraints: [
      atLeastOneOf(['src_ref', 'dst_ref']),
      // §6.12: traffic still active has no end.
      {
        if: { properties: { is_active: { const: true } }, required: ['is_active'] },
        then: { not: { required: ['end'] } },
      },
    ],
    extensions: {
      'http-request-ext': {
        properties: {
          request_method: 'string',
          request_value: 'string',
          request_version: 'string',
          request_header: 'dictionary',
          message_body_length: 'integer',
          message_body_data_ref: { identifierOf: ['artifact'] },
        },
        required: ['request_method', 'request_value'],
      },
      'icmp-ext': {
        properties: { icmp_type_hex: 'hex', icmp_code_hex: 'hex' },
        required: ['icmp_type_hex', 'icmp_code_hex'],
      },
      'socket-ext': {
        properties: {
          address_family: {
            enum: ['AF_UNSPEC', 'AF_INET', 'AF_IPX', 'AF_APPLETALK', 'AF_NETBIOS', 'AF_INET6', 'AF_IRDA', 'AF_BTH'],
          },
          is_blocking: 'boolean',
          is_listening: 'boolean',
          options: 'dictionary',
          socket_type: { enum: ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET'] },
          socket_descriptor: 'nonNegativeInteger',
          socket_handle: 'integer',
        },
        required: ['address_family'],
      },
      'tcp-ext': {
        properties: { src_flags_hex: 'hex', dst_flags_hex: 'hex' },
        anyOf: ['src_flags_hex', 'dst_flags_hex'],
      },
    },
  },
  process: {
    category: 'sco',
    properties: {
      is_hidden: 'boolean',
      pid: 'integer',
      created_time: 'timestamp',
      cwd: 'string',
      command_line: 'string',
      environment_variables: 'dictionary',
      opened_connection_refs: { identifiersOf: ['network-traffic'] },
      creator_user_ref: { identifierOf: ['user-account'] },
      image_ref: { identifierOf: ['file'] },
      parent_ref: { identifierOf: ['process'] },
      child_refs: { identifiersOf: ['process'] },
    },
    // §6.13: at least one property besides the common ones.
    constraints: [
      atLeastOneOf([
        'extensions',
        'is_hidden',
        'pid',
        'created_time',
        'cwd',
        'command_line',
        'environment_variables',
        'opened_connection_refs',
        'creator_user_ref',
        'image_ref',
        'parent_ref',
        'child_refs',
      ]),
    ],
    extensions: {
      'windows-process-ext': {
        properties: {
          aslr_enabled: 'boolean',
          dep_enabled: 'boolean',
          priority: 'string',
          owner_sid: 'string',
          window_title: 'string',
          startup_info: 'dictionary',
          integrity_level: { enum: ['low', 'medium', 'high', 'system'] },
        },
        anyOf: [
          'aslr_enabled',
          'dep_enabled',
          'priority',
          'owner_sid',
          'window_title',
          'startup_info',
          'integrity_level',
        ],
      },
      'windows-service-ext': {
        properties: {
          service_name: 'string',
          descriptions: 'strings',
          display_name: 'string',
          group_name: 'string',
          start_type: {
            enum: [
              'SERVICE_AUTO_START',
              'SERVICE_BOOT_START',
              'SERVICE_DEMAND_START',
              'SERVICE_DISABLED',
              'SERVICE_SYSTEM_ALERT',
            ],
          },
          service_dll_refs: { identifiersOf: ['file'] },
          service_type: {
            enum: [
              'SERVICE_KERNEL_DRIVER',
              'SERVICE_FILE_SYSTEM_DRIVER',
              'SERVICE_WIN32_OWN_PROCESS',
              'SERVICE_WIN32_SHARE_PROCESS',
            ],
          },
          service_status: {
            enum: [
              'SERVICE_CONTINUE_PENDING',
              'SERVICE_PAUSE_PENDING',
              'SERVICE_PAUSED',
              'SERVICE_RUNNING',
              'SERVICE_START_PENDING',
              'SERVICE_STOP_PENDING',
              'SERVICE_STOPPED',
            ],
          },
        },
        anyOf: [
          'service_name',
          'descriptions',
          'display_name',
          'group_name',
          'start_type',
          'service_dll_refs',
          'service_type',
          'service_status',
        ],
      },
    },
  },
  software: {
    category: 'sco',
    properties: {
      name: 'string',
      cpe: 'string',
      swid: 'string',
      languages: 'strings',
      vendor: 'string',
      version: 'string',
    },
    required: ['name'],
  },
  url: { category: 'sco', properties: { value: 'url' }, required: ['value'] },
  'user-account': {
    category: 'sco',
    properties: {
      user_id: 'string',
      credential: 'string',
      account_login: 'string',
      account_type: 'string',
      display_name: 'string',
      is_service_account: 'boolean',
      is_privileged: 'boolean',
      can_escalate_privs: 'boolean',
      is_disabled: 'boolean',
      account_created: 'timestamp',
      account_expires: 'timestamp',
      credential_last_changed: 'timestamp',
      account_first_login: 'timestamp',
      account_last_login: 'timestamp',
    },
    constraints: [
      atLeastOneOf([
        'extensions',
        'user_id',
        'credential',
        'account_login',
        'account_type',
        'display_name',
        'is_service_account',
        'is_privileged',
        'can_escalate_privs',
        'is_disabled',
        'account_created',
        'account_expires',
        'credential_last_changed',
        'account_first_login',
        'account_last_login',
      ]),
    ],
    extensions: {
      'unix-account-ext': {
        properties: { gid: 'integer', groups: 'strings', home_dir: 'string', shell: 'string' },
        anyOf: ['gid', 'groups', 'home_dir', 'shell'],
      },
    },
  },
  'windows-registry-key': {
    category: 'sco',
    properties: {
      // §6.17: the full key with its hive spelt out, never an abbreviation such as HKLM.
      key: {
        schema: { type: 'string', not: { pattern: '^[Hh][Kk]([Ll][Mm]|[Cc][Cc]|[Cc][Rr]|[Cc][Uu]|[Uu])(\\\\|$)' } },
      },
      values: {
        schema: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              data: { type: 'string' },
              data_type: {
                enum: [
                  'REG_NONE',
                  'REG_SZ',
                  'REG_EXPAND_SZ',
                  'REG_BINARY',
                  'REG_DWORD',
                  'REG_DWORD_BIG_ENDIAN',
                  'REG_DWORD_LITTLE_ENDIAN',
                  'REG_LINK',
                  'REG_MULTI_SZ',
                  'REG_RESOURCE_LIST',
                  'REG_FULL_RESOURCE_DESCRIPTION',
                  'REG_RESOURCE_REQUIREMENTS_LIST',
                  'REG_QWORD',
                  'REG_INVALID_TYPE',
                ],
              },
            },
            anyOf: [{ required: ['name'] }, { required: ['data'] }, { required: ['data_type'] }],
          },
        },
      },
      modified_time: 'timestamp',
      creator_user_ref: { identifierOf: ['user-account'] },
      number_of_subkeys: 'nonNegativeInteger',
    },
    constraints: [atLeastOneOf(['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'])],
  },
  'x509-certificate': {
    category: 'sco',
    properties: {
      is_self_signed: 'boolean',
      hashes: 'hashes',
      version: 'string',
      serial_number: 'string',
      signature_algorithm: 'string',
      issuer: 'string',
      validity_not_before: 'timestamp',
      validity_not_after: 'timestamp',
      subject: 'string',
      subject_public_key_algorithm: 'string',
      subject_public_key_modulus: 'string',
      subject_public_key_exponent: 'integer',
      x509_v3_extensions: { schema: { type: 'object', minProperties: 1 } },
    },
    constraints: [
      atLeastOneOf([
        'is_self_signed',
        'hashes',
        'version',
        'serial_number',
        'signature_algorithm',
        'issuer',
        'validity_not_before',
        'validity_not_after',
        'subject',
        'subject_public_key_algorithm',
        'subject_public_key_modulus',
        'subject_public_key_exponent',
        'x509_v3_extensions',
      ]),
    ],
  },
};

// ---- Meta objects (§7) ----

export const EXTENSION_TYPES = [
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
] as const;

const META_DEFINITIONS: Record<string, ObjectDefinition> = {
  'language-content': {
    category: 'meta',
    properties: {
      object_ref: { identifierOf: ['!bundle', '!language-content'] },
      object_modified: 'timestamp',
      contents: 'dictionary',
    },
    required: ['object_ref', 'contents'],
  },
  'extension-definition': {
    category: 'meta',
    properties: {
      ...NAMED,
      schema: 'string',
      version: 'string',
      extension_types: { enumList: EXTENSION_TYPES },
      extension_properties: 'strings',
    },
    required: ['name', 'schema', 'version', 'extension_types'],
    // §7.3: extension_properties only for toplevel-property-extension.
    constraints: [
      {
        if: { required: ['extension_properties'] },
        then: { properties: { extension_types: { contains: { const: 'toplevel-property-extension' } } } },
      },
    ],
  },
  // marking-definition has its own common properties (no `modified`); see json-schemas.ts.
  'marking-definition': {
    category: 'meta',
    properties: { name: 'string', definition_type: 'string', definition: { schema: { type: 'object' } } },
  },
};

export const OBJECT_DEFINITIONS: Readonly<Record<string, ObjectDefinition>> = {
  ...SDO_DEFINITIONS,
  ...SRO_DEFINITIONS,
  ...SCO_DEFINITIONS,
  ...META_DEFINITIONS,
};

/** Every object type STIX 2.1 defines, sorted. */
export const STIX_OBJECT_TYPES: readonly string[] = Object.keys(OBJECT_DEFINITIONS).sort();
