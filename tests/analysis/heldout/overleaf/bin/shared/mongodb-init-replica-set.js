/* eslint-disable no-undef */

rs.initiate({ _id: 'overleaf', members: [{ _id: 0, host: 'mongo:27017' }] })
