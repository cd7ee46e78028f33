package cli

import "github.com/hashgate/hashgate/internal/destination/clients"

// metaTokenEnv carries Meta's access token; the config file never does.
const metaTokenEnv = clients.MetaTokenEnv
